// Real processes through ProcessDriver: exit codes, signals, captures, idle
// priority, the task user, and that nothing of a killed task survives.
#include "agent/executor/posix/process_driver.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "test_support.h"

namespace gleaner::agent {
namespace {

using namespace std::chrono_literals;
using testing::Slurp;
using testing::TempDir;

class ProcessDriverTest : public ::testing::Test {
 protected:
  ProcessDriverTest() : driver_(TaskUserForTests(), nullptr) {
    std::filesystem::create_directory(work_dir());
  }

  static std::optional<TaskUser> TaskUserForTests() {
    auto user = ResolveTaskUser("gleaner");
    return user.ok() ? *user : std::nullopt;
  }

  std::string work_dir() const { return tmp_ / "work"; }

  TaskLaunch Launch(std::vector<std::string> command) {
    TaskLaunch launch;
    launch.command = std::move(command);
    launch.work_dir = work_dir();
    launch.env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", work_dir()}};
    launch.stdout_path = tmp_ / "out";
    launch.stderr_path = tmp_ / "err";
    return launch;
  }

  TaskExit Run(const TaskLaunch& launch) {
    auto kill = KillSwitch::Create();
    EXPECT_TRUE(kill.ok());
    auto exit = driver_.Run(launch, **kill, control_);
    EXPECT_TRUE(exit.ok()) << exit.error().message;
    return exit.ok() ? *exit : TaskExit{};
  }

  // The pid a task wrote to `name` in its work dir.
  pid_t PidFrom(const std::string& name) { return std::stoi(Slurp(work_dir() + "/" + name)); }

  static void ExpectGone(pid_t pid, bool group) {
    errno = 0;
    EXPECT_EQ(::kill(group ? -pid : pid, 0), -1) << (group ? "process group " : "process ") << pid << " survived";
    EXPECT_EQ(errno, ESRCH);
  }

  TempDir tmp_;
  ProcessDriver driver_;
  TaskControl control_{1};
};

TEST_F(ProcessDriverTest, ReportsExitCode) {
  auto exit = Run(Launch({"sh", "-c", "exit 3"}));
  EXPECT_EQ(exit.exit_code, 3);
  EXPECT_FALSE(exit.signal);
  EXPECT_TRUE(exit.stopped_because.empty());
}

TEST_F(ProcessDriverTest, ReportsSignal) {
  auto exit = Run(Launch({"sh", "-c", "kill -9 $$"}));
  EXPECT_FALSE(exit.exit_code);
  EXPECT_EQ(exit.signal, SIGKILL);
}

TEST_F(ProcessDriverTest, CapturesStdoutAndStderr) {
  auto exit = Run(Launch({"sh", "-c", "echo out; echo err >&2"}));
  EXPECT_EQ(exit.exit_code, 0);
  EXPECT_EQ(Slurp(tmp_ / "out"), "out\n");
  EXPECT_EQ(Slurp(tmp_ / "err"), "err\n");
}

TEST_F(ProcessDriverTest, CapsCapturedOutputAndSaysHowMuchWasDropped) {
  auto launch = Launch({"sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"});
  launch.output_cap = 1000;
  auto exit = Run(launch);
  EXPECT_EQ(exit.exit_code, 0);
  std::string out = Slurp(tmp_ / "out");
  EXPECT_EQ(out.substr(0, 1000), std::string(1000, 'x'));
  EXPECT_NE(out.find("99000 more bytes dropped"), std::string::npos) << out.substr(1000);
}

TEST_F(ProcessDriverTest, MissingProgramExits127WithReasonOnStderr) {
  auto exit = Run(Launch({"./no-such-program"}));
  EXPECT_EQ(exit.exit_code, 127);
  EXPECT_NE(Slurp(tmp_ / "err").find("cannot run './no-such-program': No such file or directory"), std::string::npos)
      << Slurp(tmp_ / "err");
}

TEST_F(ProcessDriverTest, RunsAtIdlePriority) {
  auto exit = Run(Launch({"sh", "-c", "chrt -p $$; nice; ionice -p $$"}));
  EXPECT_EQ(exit.exit_code, 0) << Slurp(tmp_ / "err");
  std::string out = Slurp(tmp_ / "out");
  EXPECT_NE(out.find("scheduling policy: SCHED_IDLE"), std::string::npos) << out;
  EXPECT_NE(out.find("\n19\n"), std::string::npos) << out;
  EXPECT_NE(out.find("idle"), std::string::npos) << out;
}

TEST_F(ProcessDriverTest, GetsExactlyTheGivenEnvironmentAndWorkDir) {
  auto launch = Launch({"sh", "-c", "env | sort; pwd"});
  launch.env["GLEANER_TASK_INDEX"] = "7";
  ::setenv("GLEANER_AGENT_SECRET", "leak", 1);
  auto exit = Run(launch);
  ::unsetenv("GLEANER_AGENT_SECRET");
  EXPECT_EQ(exit.exit_code, 0);
  std::string out = Slurp(tmp_ / "out");
  EXPECT_NE(out.find("GLEANER_TASK_INDEX=7\n"), std::string::npos) << out;
  EXPECT_NE(out.find("HOME=" + work_dir() + "\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("GLEANER_AGENT_SECRET"), std::string::npos) << out;
  EXPECT_NE(out.find("\n" + work_dir() + "\n"), std::string::npos) << out;
}

TEST_F(ProcessDriverTest, RunsProgramRelativeToWorkDir) {
  ASSERT_TRUE(WriteFileDurably(work_dir() + "/prog", "#!/bin/sh\necho from prog\n", 0555).ok());
  auto exit = Run(Launch({"./prog"}));
  EXPECT_EQ(exit.exit_code, 0) << Slurp(tmp_ / "err");
  EXPECT_EQ(Slurp(tmp_ / "out"), "from prog\n");
}

TEST_F(ProcessDriverTest, RunsAsTheTaskUserWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "not root: tasks run as the agent's own user";
  if (!TaskUserForTests()) {
    GTEST_SKIP() << "no 'gleaner' user; create it with useradd --system --no-create-home --shell /usr/sbin/nologin gleaner";
  }
  auto exit = Run(Launch({"sh", "-c", "id -un; id -G; touch made-here"}));
  EXPECT_EQ(exit.exit_code, 0) << Slurp(tmp_ / "err");
  std::string out = Slurp(tmp_ / "out");
  EXPECT_EQ(out.substr(0, out.find('\n')), "gleaner");
  EXPECT_EQ(out.find("\n0"), std::string::npos) << "root's group survived: " << out;
  EXPECT_TRUE(std::filesystem::exists(work_dir() + "/made-here"));
}

TEST_F(ProcessDriverTest, ExitOfMainProcessKillsWhatItLeftBehind) {
  auto exit = Run(Launch({"sh", "-c", "sleep 100 & echo $! > bg; echo $$ > pg"}));
  EXPECT_EQ(exit.exit_code, 0);
  ExpectGone(PidFrom("bg"), false);
  ExpectGone(PidFrom("pg"), true);
}

TEST_F(ProcessDriverTest, CancelKillsTheWholeGroup) {
  // pg appears only once written whole: the cancel may land between the shell's open and its write.
  auto launch = Launch({"sh", "-c", "sleep 100 & echo $! > bg; echo $$ > pg.part; mv pg.part pg; sleep 100"});
  auto kill = KillSwitch::Create();
  ASSERT_TRUE(kill.ok());
  std::thread canceller([&] {
    EXPECT_TRUE(testing::Eventually([&] { return std::filesystem::exists(work_dir() + "/pg"); }));
    (*kill)->Pull(KillCause::kCancelled, 5s);
  });
  auto started = std::chrono::steady_clock::now();
  auto exit = driver_.Run(launch, **kill, control_);
  canceller.join();
  ASSERT_TRUE(exit.ok()) << exit.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "SIGTERM should have been enough";
  EXPECT_EQ(exit->stopped_because, "cancelled");
  EXPECT_EQ(exit->kill_cause, KillCause::kCancelled);
  EXPECT_EQ(exit->signal, SIGTERM);
  ExpectGone(PidFrom("bg"), false);
  ExpectGone(PidFrom("pg"), true);
}

TEST_F(ProcessDriverTest, TimeoutEscalatesToSigkillForATaskIgnoringSigterm) {
  auto launch = Launch({"sh", "-c", "trap '' TERM; sleep 100 & echo $! > bg; echo $$ > pg; while :; do sleep 1; done"});
  launch.timeout = 300ms;
  launch.timeout_grace = 300ms;
  auto exit = Run(launch);
  EXPECT_EQ(exit.stopped_because, "timed out after 300ms");
  EXPECT_EQ(exit.signal, SIGKILL);
  EXPECT_GE(exit.wall, 600ms);
  EXPECT_LT(exit.wall, 5s);
  ExpectGone(PidFrom("bg"), false);
  ExpectGone(PidFrom("pg"), true);
}

TEST_F(ProcessDriverTest, DoesNotHangOnAPipeHeldByAnEscapedProcess) {
  // setsid leaves the task's group, so the group kill cannot reach it; it keeps stdout open.
  auto exit = Run(Launch({"sh", "-c", "setsid sh -c 'echo $$ > escaped; exec sleep 30' & sleep 0.2"}));
  EXPECT_EQ(exit.exit_code, 0);
  EXPECT_LT(exit.wall, 5s);
  ASSERT_TRUE(testing::Eventually([&] { return std::filesystem::exists(work_dir() + "/escaped"); }));
  pid_t escaped = PidFrom("escaped");
  ::kill(escaped, SIGKILL);
  ::waitpid(escaped, nullptr, 0);  // it was orphaned to us, the subreaper
}

TEST_F(ProcessDriverTest, CountsCpuTime) {
  auto exit = Run(Launch({"sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"}));
  EXPECT_EQ(exit.exit_code, 0);
  EXPECT_GT(exit.cpu.count(), 0);
}

}  // namespace
}  // namespace gleaner::agent
