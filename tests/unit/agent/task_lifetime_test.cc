// A task's processes live and die with it, whatever they do: processes that
// leave the task's process group with setsid are stopped when it is suspended
// and killed and reaped when it ends, with the freezer and with stop signals;
// and the task's timeout does not count time the owner kept it suspended.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <future>
#include <thread>

#include "driver_support.h"
#include "test_support.h"

namespace gleaner::agent {
namespace {

using namespace std::chrono_literals;
using testing::Slurp;
using testing::DriverForSuite;
using testing::TempDir;

bool Exists(pid_t pid) { return std::filesystem::exists("/proc/" + std::to_string(pid)); }

// utime + stime, in clock ticks.
long CpuTicks(pid_t pid) {
  std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> f && i <= 15; ++i) {
    if (i == 14) utime = std::stol(f);
    if (i == 15) stime = std::stol(f);
  }
  return utime + stime;
}

template <typename F>
bool Eventually(F condition, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

class TaskLifetimeTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    auto driver = DriverForSuite(GetParam());
    if (!driver.ok()) GTEST_SKIP() << driver.error().message;
    driver_ = std::move(*driver);
    std::filesystem::create_directory(tmp_ / "work");
  }

  TaskLaunch Launch(std::vector<std::string> command) {
    TaskLaunch launch;
    launch.command = std::move(command);
    launch.work_dir = tmp_ / "work";
    launch.env = {{"PATH", "/usr/bin:/bin"}, {"GLEANER_ATTEMPT_ID", std::to_string(::getpid())}};
    launch.stdout_path = tmp_ / "out";
    launch.stderr_path = tmp_ / "err";
    return launch;
  }

  pid_t EscapedPid() {
    pid_t pid = 0;
    Eventually([&] { return std::istringstream(Slurp(tmp_ / "work/escaped")) >> pid && pid > 0; }, 20s);
    return pid;
  }

  TempDir tmp_;
  std::unique_ptr<ProcessDriver> driver_;
};

TEST_P(TaskLifetimeTest, ProcessesThatLeftTheGroupDieWithTheTask) {
  auto launch = Launch({"/bin/sh", "-c", "setsid sleep 1000 & echo $! > escaped; exit 0"});
  auto kill = KillSwitch::Create();
  TaskControl control(1);
  auto exit = driver_->Run(launch, **kill, control);
  ASSERT_TRUE(exit.ok()) << exit.error().message;
  EXPECT_EQ(exit->exit_code, 0) << Slurp(tmp_ / "err");
  pid_t escaped = EscapedPid();
  ASSERT_GT(escaped, 0) << Slurp(tmp_ / "err");
  // Killed and reaped before Run returned: not even a zombie is left.
  EXPECT_FALSE(Exists(escaped)) << "pid " << escaped << ": " << Slurp("/proc/" + std::to_string(escaped) + "/stat");
}

TEST_P(TaskLifetimeTest, ProcessesThatLeftTheGroupAreSuspendedWithTheTask) {
  auto launch = Launch({"/bin/sh", "-c", "setsid sh -c 'while :; do :; done' & echo $! > escaped; sleep 1000"});
  auto kill = KillSwitch::Create();
  TaskControl control(2);
  auto run = std::async(std::launch::async, [&] { return driver_->Run(launch, **kill, control); });
  pid_t escaped = EscapedPid();
  ASSERT_GT(escaped, 0) << Slurp(tmp_ / "err");
  ASSERT_TRUE(control.Suspend().ok());
  // A stop signal takes effect when the process is next scheduled, and a
  // SCHED_IDLE one waits for an idle CPU: allow a busy machine its time.
  long before = -1;
  bool still = Eventually(
      [&] {
        long now = CpuTicks(escaped);
        std::this_thread::sleep_for(300ms);
        before = CpuTicks(escaped);
        return now == before;
      },
      20s);
  EXPECT_TRUE(still) << "the detached busy loop kept running while suspended";
  ASSERT_TRUE(control.Resume().ok());
  EXPECT_TRUE(Eventually([&] { return CpuTicks(escaped) > before; }, 20s)) << "not resumed";
  (*kill)->Pull(KillCause::kCancelled, 100ms);
  auto exit = run.get();
  ASSERT_TRUE(exit.ok()) << exit.error().message;
  EXPECT_FALSE(Exists(escaped));
}

TEST_P(TaskLifetimeTest, TheTimeoutLeavesOutTimeSuspendedByTheOwner) {
  // 3 s of sleep under a 2.5 s timeout, 1.5 s of it suspended: 1.5 s counts.
  // The 1 s of slack keeps it true on a loaded machine; counting the suspended
  // time too would still exceed the timeout.
  auto launch = Launch({"sleep", "3"});
  launch.timeout = 2500ms;
  auto kill = KillSwitch::Create();
  TaskControl control(3);
  auto run = std::async(std::launch::async, [&] { return driver_->Run(launch, **kill, control); });
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(control.Suspend().ok());
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(control.Resume().ok());
  auto exit = run.get();
  ASSERT_TRUE(exit.ok()) << exit.error().message;
  EXPECT_EQ(exit->stopped_because, "");
  EXPECT_EQ(exit->exit_code, 0);
}

TEST_P(TaskLifetimeTest, TheTimeoutStillEndsATaskThatRunsTooLong) {
  auto launch = Launch({"sleep", "100"});
  launch.timeout = 500ms;
  launch.timeout_grace = 100ms;
  auto kill = KillSwitch::Create();
  TaskControl control(4);
  auto exit = driver_->Run(launch, **kill, control);
  ASSERT_TRUE(exit.ok()) << exit.error().message;
  EXPECT_EQ(exit->stopped_because, "timed out after 500ms");
}

INSTANTIATE_TEST_SUITE_P(Methods, TaskLifetimeTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Freezer" : "Signals"; });

}  // namespace
}  // namespace gleaner::agent
