// Suspending real tasks through ProcessDriver, with the cgroup v2 freezer and
// with stop signals: every process of the task, forked children included,
// stops, and starts again on resume.
#include <gtest/gtest.h>

#include <algorithm>

#include <future>
#include <sstream>
#include <thread>

#include "driver_support.h"
#include "test_support.h"

namespace gleaner::agent {
namespace {

using namespace std::chrono_literals;
using testing::Slurp;
using testing::DriverForSuite;
using testing::TempDir;

TEST(CgroupPathsTest, FindsTheV2MountInHybridAndPureLayouts) {
  std::string hybrid =
      "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
  EXPECT_EQ(FindCgroup2Mount(hybrid), "/sys/fs/cgroup/unified");
  EXPECT_EQ(FindCgroup2Mount("30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"),
            "/sys/fs/cgroup");
  EXPECT_EQ(FindCgroup2Mount("32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"), std::nullopt);
  EXPECT_EQ(OwnCgroup2Path("6:freezer:/\n0::/system.slice/gleaner.service\n"), "/system.slice/gleaner.service");
}

// Reads /proc/PID/stat field 3.
char StateOf(pid_t pid) {
  std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() ? '?' : stat[close + 2];
}

// utime + stime of a process, in clock ticks.
long CpuTicks(pid_t pid) {
  std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> f && i <= 15; ++i) {
    if (i == 14) utime = std::stol(f);
    if (i == 15) stime = std::stol(f);
  }
  return utime + stime;
}

class SuspendTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    auto driver = DriverForSuite(GetParam());
    if (!driver.ok()) GTEST_SKIP() << driver.error().message;
    driver_ = std::move(*driver);
    std::filesystem::create_directory(tmp_ / "work");
  }

  std::vector<pid_t> Pids() {
    std::vector<pid_t> pids;
    std::istringstream in(Slurp(tmp_ / "work/pids"));
    for (pid_t p; in >> p;) pids.push_back(p);
    return pids;
  }

  TempDir tmp_;
  std::unique_ptr<ProcessDriver> driver_;
};

TEST_P(SuspendTest, StopsEveryProcessOfTheTaskAndResumesThem) {
  TaskLaunch launch;
  // A busy parent and two busy children it forked, each writing its pid.
  launch.command = {"/bin/sh", "-c",
                    "for i in 1 2; do sh -c 'echo $$ >> pids; while :; do :; done' & done; "
                    "echo $$ >> pids; while :; do :; done"};
  launch.work_dir = tmp_ / "work";
  launch.env = {{"PATH", "/usr/bin:/bin"}};
  launch.stdout_path = tmp_ / "out";
  launch.stderr_path = tmp_ / "err";
  auto kill = KillSwitch::Create();
  ASSERT_TRUE(kill.ok());
  TaskControl control(1);
  auto run = std::async(std::launch::async, [&] { return driver_->Run(launch, **kill, control); });
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (Pids().size() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  auto pids = Pids();
  ASSERT_EQ(pids.size(), 3u) << Slurp(tmp_ / "err");

  ASSERT_TRUE(control.Suspend().ok());
  if (!GetParam()) {
    // A stop signal takes effect when the task is next scheduled, and a
    // SCHED_IDLE task waits for an idle CPU: on a busy machine that takes a while.
    auto stop_deadline = std::chrono::steady_clock::now() + 20s;
    auto all_stopped = [&] {
      return std::all_of(pids.begin(), pids.end(), [](pid_t pid) { return StateOf(pid) == 'T'; });
    };
    while (!all_stopped() && std::chrono::steady_clock::now() < stop_deadline) std::this_thread::sleep_for(20ms);
    for (pid_t pid : pids) EXPECT_EQ(StateOf(pid), 'T') << "pid " << pid;
  }
  std::this_thread::sleep_for(50ms);  // a frozen task may still be finishing its tick
  std::vector<long> before;
  for (pid_t pid : pids) before.push_back(CpuTicks(pid));
  std::this_thread::sleep_for(300ms);
  for (size_t i = 0; i < pids.size(); ++i) EXPECT_EQ(CpuTicks(pids[i]), before[i]) << "pid " << pids[i] << " ran";

  ASSERT_TRUE(control.Resume().ok());
  // SCHED_IDLE tasks run only when a CPU has nothing else to do, so on a busy
  // machine the first tick after resuming may take a while.
  long ran = 0;
  auto resume_deadline = std::chrono::steady_clock::now() + 20s;
  while (ran == 0 && std::chrono::steady_clock::now() < resume_deadline) {
    std::this_thread::sleep_for(50ms);
    ran = 0;
    for (size_t i = 0; i < pids.size(); ++i) ran += CpuTicks(pids[i]) - before[i];
  }
  EXPECT_GT(ran, 0) << "nothing ran after resume";

  (*kill)->Pull(KillCause::kCancelled, 100ms);
  auto exit = run.get();
  ASSERT_TRUE(exit.ok()) << exit.error().message;
  EXPECT_EQ(exit->stopped_because, "cancelled");
}

INSTANTIATE_TEST_SUITE_P(Methods, SuspendTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Freezer" : "Signals"; });

}  // namespace
}  // namespace gleaner::agent
