// The owner policy's CPU and memory caps on the agent: which means is chosen,
// what cpu.max says, the duty cycle's share, how TaskControl combines owner
// suspension with throttling and counts suspended time, and that the guard
// neither allows work before it has looked at the owner nor hides the caps
// from `gleaner host --why`.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "agent/executor/cpu_duty_cycle.h"
#include "agent/executor/posix/cgroup_subtree.h"
#include "agent/executor/resource_caps.h"
#include "agent/executor/task_control.h"
#include "agent/executor/posix/task_processes.h"
#include "agent/owner/owner_guard.h"
#include "common/clock.h"

namespace gleaner::agent {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Records when it was paused and unpaused.
class RecordingTask : public Pausable {
 public:
  Status Pause() override { return Mark(true); }
  Status Unpause() override { return Mark(false); }
  // Share of [from, to) spent unpaused.
  double RunningShare(Clock::time_point from, Clock::time_point to) {
    std::lock_guard lock(mu_);
    double running = 0;
    bool paused = false;
    Clock::time_point at = from;
    for (const auto& [t, p] : marks_) {
      if (t <= from) {
        paused = p;
        continue;
      }
      if (t >= to) break;
      if (!paused) running += std::chrono::duration<double>(t - at).count();
      at = t;
      paused = p;
    }
    if (!paused) running += std::chrono::duration<double>(to - at).count();
    return running / std::chrono::duration<double>(to - from).count();
  }
  int pauses() {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& m : marks_) n += m.second;
    return n;
  }
  bool paused() {
    std::lock_guard lock(mu_);
    return !marks_.empty() && marks_.back().second;
  }

 private:
  Status Mark(bool paused) {
    std::lock_guard lock(mu_);
    marks_.emplace_back(Clock::now(), paused);
    return OkStatus();
  }
  std::mutex mu_;
  std::vector<std::pair<Clock::time_point, bool>> marks_;
};

TEST(CgroupCapsTest, CpuMaxIsAShareOfAllCores) {
  EXPECT_EQ(CpuMaxText(50, 2), "100000 100000");  // half of two cores: one core's worth
  EXPECT_EQ(CpuMaxText(25, 4), "100000 100000");
  EXPECT_EQ(CpuMaxText(10, 1), "10000 100000");
  EXPECT_EQ(CpuMaxText(0, 8), "max 100000");
  EXPECT_EQ(CpuMaxText(100, 8), "max 100000");
  EXPECT_EQ(CpuMaxText(1, 0), "1000 100000");  // never below the kernel's 1 ms
  EXPECT_TRUE(ListsController("cpuset cpu io memory pids\n", "cpu"));
  EXPECT_FALSE(ListsController("cpuset io pids\n", "cpu"));
  EXPECT_FALSE(ListsController("", "memory"));
}

TEST(TaskControlTest, ThrottlingPausesWithoutHistoryAndOwnerSuspensionWins) {
  RecordingTask task;
  TaskControl control(3);
  ASSERT_TRUE(control.Attach(task).ok());
  ASSERT_TRUE(control.Throttle(true).ok());
  EXPECT_TRUE(task.paused());
  ASSERT_TRUE(control.Suspend().ok());  // already paused: no second pause
  ASSERT_TRUE(control.Throttle(false).ok());
  EXPECT_TRUE(task.paused()) << "the duty cycle must not resume what the owner suspended";
  ASSERT_TRUE(control.Resume().ok());
  EXPECT_FALSE(task.paused());
  EXPECT_EQ(task.pauses(), 1);
  auto events = control.events();
  ASSERT_EQ(events.size(), 2u) << "throttling is not history";
  EXPECT_EQ(events[0].what, "suspended");
  EXPECT_EQ(events[1].what, "resumed");
  control.Detach();
}

TEST(TaskControlTest, CountsOnlyTheTimeTheOwnerKeptTheTaskSuspended) {
  TaskControl control(4);
  auto t0 = Clock::now();
  EXPECT_EQ(control.SuspendedTotal(t0), 0ms);
  ASSERT_TRUE(control.Throttle(true).ok());
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(control.SuspendedTotal(), 0ms) << "throttled time is not owner time";
  ASSERT_TRUE(control.Suspend().ok());
  std::this_thread::sleep_for(60ms);
  ASSERT_TRUE(control.Resume().ok());
  auto first = control.SuspendedTotal();
  EXPECT_GE(first, 60ms);
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(control.SuspendedTotal(), first) << "running time must not count";
  ASSERT_TRUE(control.Suspend().ok());
  auto now = Clock::now();
  EXPECT_GE(control.SuspendedTotal(now + 1s), first + 1s) << "an ongoing suspension counts up to now";
}

TEST(CpuDutyCycleTest, RunsTheTaskItsShareOfEveryPeriod) {
  RecordingTask task;
  TaskControl control(5);
  ASSERT_TRUE(control.Attach(task).ok());
  {
    CpuDutyCycle duty;
    duty.SetPercent(30);
    duty.Track(5, control);
    auto from = Clock::now();
    std::this_thread::sleep_for(1s);
    auto to = Clock::now();
    double share = task.RunningShare(from, to);
    EXPECT_GT(share, 0.2) << share;
    EXPECT_LT(share, 0.45) << share;
    EXPECT_GE(task.pauses(), 8) << "about one pause per 100 ms period";
    duty.SetPercent(100);  // no cap: runs freely at once
    EXPECT_FALSE(task.paused());
    int pauses = task.pauses();
    std::this_thread::sleep_for(250ms);
    EXPECT_EQ(task.pauses(), pauses);
    duty.SetPercent(10);
    std::this_thread::sleep_for(150ms);
    duty.Forget(5);
    EXPECT_FALSE(task.paused()) << "a forgotten task is left running";
  }
  control.Detach();
}

TEST(ResourceCapsTest, WithoutCgroupControllersUsesTheDutyCycleAndAddressSpaceLimits) {
  ResourceCaps caps(nullptr, /*freezer=*/false, 2);
  EXPECT_EQ(caps.Describe(), "");
  caps.Set(40, int64_t{4} << 30);
  EXPECT_EQ(caps.cpu_means(), CpuCapMeans::kDutyCycle);
  EXPECT_EQ(caps.memory_means(), MemoryCapMeans::kAddressSpaceLimit);
  EXPECT_EQ(caps.Describe(),
            "at most 40% CPU (duty cycle: tasks run 40 ms of every 100 ms, then are stopped with SIGSTOP); "
            "memory at most 4.0G (RLIMIT_AS on each task process)");
  TaskControl control(6);
  caps.Track(6, control);
  EXPECT_EQ(control.address_space_limit(), int64_t{4} << 30);
  caps.Forget(6);
  caps.Set(100, 0);
  EXPECT_EQ(caps.cpu_means(), CpuCapMeans::kNone);
  EXPECT_EQ(caps.memory_means(), MemoryCapMeans::kNone);
  TaskControl later(7);
  caps.Track(7, later);
  EXPECT_EQ(later.address_space_limit(), 0);
  caps.Forget(7);
}

TEST(OwnerGuardCapsTest, NoWorkBeforeTheFirstLookAtTheOwner) {
  // An agent whose first sync beat its first owner observation used to take a
  // task and suspend it at once: see docs/policy.md, "Starting up".
  OwnerGuard guard([] {});
  EXPECT_EQ(guard.SlotsAllowed(4), 0);
  guard.Observe(OwnerView{});  // nothing to sense: work runs
  EXPECT_EQ(guard.SlotsAllowed(4), 4);
}

TEST(OwnerGuardCapsTest, AppliesThePolicysCapsAndSaysSoInWhy) {
  ResourceCaps caps(nullptr, /*freezer=*/true, 2);
  OwnerGuard guard([] {}, 10s, &caps);
  api::Policy policy;
  policy.start_after_ms = 0;
  policy.max_cpu_percent = 25;
  policy.max_memory = int64_t{1} << 30;
  guard.SetPolicy(policy);
  guard.Observe(OwnerView{});
  EXPECT_EQ(guard.MemoryOffered(), int64_t{1} << 30);
  std::string why = guard.Activity().why;
  EXPECT_NE(why.find("work runs; at most 25% CPU (duty cycle: tasks run 25 ms of every 100 ms, then are frozen)"),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("memory at most 1.0G"), std::string::npos) << why;
  policy.max_cpu_percent = 0;
  policy.max_memory = 0;
  guard.SetPolicy(policy);
  EXPECT_EQ(guard.MemoryOffered(), 0);
  EXPECT_EQ(guard.Activity().why.find("CPU"), std::string::npos);
}

TEST(TaskProcessesTest, FindsTheGroupAndWhatLeftItCarryingTheMarker) {
  // agent 10 -> task leader 20 (group 20) -> 21 (group 20) -> 22 (setsid: group 22, marker)
  //          -> orphan 30 (setsid, marker) -> 31 (its child, group 30)
  //          -> other task 40 (group 40) -> 41 (setsid, other marker)
  // init 1 -> 50 (not the agent's: never selected, marker or not)
  std::vector<ProcEntry> all = {{20, 10, 20}, {21, 20, 20}, {22, 21, 22}, {30, 10, 30}, {31, 30, 30},
                                {40, 10, 40}, {41, 40, 41}, {50, 1, 50},  {10, 1, 10}};
  auto marked = [](pid_t pid) { return pid == 22 || pid == 30 || pid == 50; };
  auto found = SelectTaskProcesses(all, 10, 20, marked);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<pid_t>{20, 21, 22, 30, 31}));
  EXPECT_EQ(TaskMarker({{"GLEANER_ATTEMPT_ID", "7"}, {"PATH", "/bin"}}), "GLEANER_ATTEMPT_ID=7");
  EXPECT_EQ(TaskMarker({{"PATH", "/bin"}}), "");
}

}  // namespace
}  // namespace gleaner::agent
