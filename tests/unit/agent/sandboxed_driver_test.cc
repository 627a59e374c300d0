// Real tasks inside bubblewrap through ProcessDriver: each tries to reach the
// network, write outside its work dir, read the agent's files and signal other
// processes, and its output shows that it tried and failed. Also: SIGTERM
// reaches the task with its grace, rlimits apply, the freezer stops the whole
// sandbox, and nothing of it survives, not even a process that left the group.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "agent/executor/posix/cgroup_subtree.h"
#include "agent/executor/posix/process_driver.h"
#include "agent/executor/posix/sandbox_probe.h"
#include "agent/executor/posix/task_limits.h"
#include "../../support/loopback_listener.h"
#include "test_support.h"

namespace gleaner::agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Slurp;
using testing::TempDir;

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

std::optional<TaskUser> TaskUserForTests() {
  auto user = ResolveTaskUser("gleaner");
  return user.ok() ? *user : std::nullopt;
}

// Host pids of processes whose command line contains `needle`.
std::vector<pid_t> ProcessesRunning(const std::string& needle) {
  std::vector<pid_t> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    std::string cmdline = Slurp(entry.path().string() + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(needle) != std::string::npos) found.push_back(std::stoi(name));
  }
  return found;
}

using Listener = test_support::LoopbackListener;

class SandboxedDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status works = ProbeSandbox(kDefaultBubblewrap, user_, tmp_ / "probe");
    if (!works.ok()) GTEST_SKIP() << "bubblewrap does not work here: " << works.message();
    fs::create_directory(work_dir());
    MakeDriver(nullptr);
  }

  void MakeDriver(std::unique_ptr<CgroupSubtree> cgroups) {
    driver_ = std::make_unique<ProcessDriver>(user_, std::move(cgroups), SandboxConfig{SandboxMode::kBubblewrap},
                                              /*slots=*/1);
  }

  std::string work_dir() const { return tmp_ / "work"; }
  std::string out() const { return Slurp(tmp_ / "out"); }
  std::string err() const { return Slurp(tmp_ / "err"); }

  TaskLaunch Launch(const std::string& script) {
    TaskLaunch launch;
    launch.command = {"/bin/bash", "-c", script};
    launch.work_dir = work_dir();
    launch.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", work_dir()}};
    launch.stdout_path = tmp_ / "out";
    launch.stderr_path = tmp_ / "err";
    launch.timeout = Millis(60s);
    return launch;
  }

  TaskExit Run(const TaskLaunch& launch) {
    auto kill = KillSwitch::Create();
    EXPECT_TRUE(kill.ok());
    auto exit = driver_->Run(launch, **kill, control_);
    EXPECT_TRUE(exit.ok()) << exit.error().message;
    return exit.ok() ? *exit : TaskExit{};
  }

  const std::optional<TaskUser> user_ = TaskUserForTests();
  TempDir tmp_;
  std::unique_ptr<ProcessDriver> driver_;
  TaskControl control_{1};
};

TEST_F(SandboxedDriverTest, SaysWhatItIs) {
  EXPECT_EQ(driver_->capabilities().isolation, Isolation::kNamespaces);
  EXPECT_STREQ(driver_->capabilities().name, "bubblewrap");
}

TEST_F(SandboxedDriverTest, RunsTheTaskInItsWorkDirAndReportsItsExitCode) {
  auto exit = Run(Launch("pwd; echo made > made.txt; exit 3"));
  EXPECT_EQ(exit.exit_code, 3) << err();
  EXPECT_EQ(out(), work_dir() + "\n");
  EXPECT_EQ(Slurp(work_dir() + "/made.txt"), "made\n");
}

TEST_F(SandboxedDriverTest, HasNoNetworkUnlessAsked) {
  Listener listener;
  std::string script = "if echo hi > /dev/tcp/127.0.0.1/" + std::to_string(listener.port()) +
                       "; then echo CONNECTED; else echo NO-NETWORK; fi";
  auto exit = Run(Launch(script));
  EXPECT_EQ(exit.exit_code, 0) << err();
  EXPECT_EQ(out(), "NO-NETWORK\n");
  EXPECT_NE(err().find("connect"), std::string::npos) << "the task did try: " << err();
  EXPECT_FALSE(listener.HasConnection());

  auto launch = Launch(script);
  launch.network = true;
  exit = Run(launch);
  EXPECT_EQ(exit.exit_code, 0) << err();
  EXPECT_EQ(out(), "CONNECTED\n") << err();
  EXPECT_TRUE(listener.HasConnection());
}

TEST_F(SandboxedDriverTest, CannotWriteOutsideItsWorkDir) {
  // Another attempt's work dir, the task user's own: writable were it visible.
  std::string sibling = tmp_ / "sibling";
  fs::create_directory(sibling);
  if (user_) {
    ASSERT_EQ(::chown(sibling.c_str(), user_->uid, user_->gid), 0);
  }
  std::string script;
  for (const std::string& path :
       std::vector<std::string>{"/usr/gleaner-escape", "/etc/gleaner-escape", "/gleaner-escape", sibling + "/escape"}) {
    script += "if echo x > " + path + "; then echo 'wrote " + path + "'; else echo 'cannot write " + path + "'; fi\n";
  }
  auto exit = Run(Launch(script));
  EXPECT_EQ(exit.exit_code, 0) << err();
  EXPECT_EQ(out(), "cannot write /usr/gleaner-escape\ncannot write /etc/gleaner-escape\ncannot write /gleaner-escape\n"
                   "cannot write " + sibling + "/escape\n");
  EXPECT_NE(err().find("Read-only file system"), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(sibling + "/escape"));
  EXPECT_FALSE(fs::exists("/usr/gleaner-escape"));
  EXPECT_FALSE(fs::exists("/etc/gleaner-escape"));
}

TEST_F(SandboxedDriverTest, TmpIsPrivate) {
  std::string marker = "gleaner-private-tmp-" + std::to_string(::getpid());
  auto exit = Run(Launch("echo x > /tmp/" + marker + " && ls /tmp"));
  EXPECT_EQ(exit.exit_code, 0) << err();
  EXPECT_FALSE(fs::exists("/tmp/" + marker)) << "the task's /tmp is the host's";
  EXPECT_NE(out().find(marker), std::string::npos) << out();
}

TEST_F(SandboxedDriverTest, CannotReadTheAgentsFiles) {
  // World-readable on purpose: the sandbox, not the mode, keeps it away.
  std::string credential = tmp_ / "agent.json";
  { std::ofstream(credential) << "{\"credential\": \"secret-agent-credential\"}"; }
  fs::permissions(credential, fs::perms(0644));
  std::string shadow_probe = "cat /etc/shadow";
  auto exit = Run(Launch("cat " + credential + " || echo 'cannot read the credential'; " + shadow_probe +
                         " || echo 'cannot read /etc/shadow'"));
  EXPECT_EQ(exit.exit_code, 0) << err();
  EXPECT_EQ(out(), "cannot read the credential\ncannot read /etc/shadow\n");
  EXPECT_NE(err().find(credential + ": No such file or directory"), std::string::npos) << err();
  EXPECT_EQ(out().find("secret-agent-credential"), std::string::npos);
}

TEST_F(SandboxedDriverTest, CannotSignalOtherProcessesOfItsUser) {
  // A process of the task user outside the sandbox, and the agent itself.
  pid_t victim = ::fork();
  ASSERT_GE(victim, 0);
  if (victim == 0) {
    if (user_ && (::setgid(user_->gid) != 0 || ::setuid(user_->uid) != 0)) ::_exit(1);
    ::execl("/bin/sleep", "sleep", "600", nullptr);
    ::_exit(1);
  }
  std::string script = "kill -9 " + std::to_string(victim) + " && echo 'killed the victim'; kill -9 " +
                       std::to_string(::getpid()) + " && echo 'killed the agent'; " +
                       "echo \"sees $(ls /proc | grep -c '^[0-9]') processes\"";
  auto exit = Run(Launch(script));
  int status = 0;
  bool victim_alive = ::waitpid(victim, &status, WNOHANG) == 0;
  ::kill(victim, SIGKILL);
  ::waitpid(victim, &status, 0);
  EXPECT_TRUE(victim_alive);
  EXPECT_EQ(exit.exit_code, 0) << err();
  EXPECT_EQ(out().find("killed"), std::string::npos) << out();
  EXPECT_NE(err().find("No such process"), std::string::npos) << err();
  // bwrap's init, bash, and what it runs: nothing of the host.
  int seen = -1;
  std::sscanf(out().c_str(), "sees %d processes", &seen);
  EXPECT_GE(seen, 1);
  EXPECT_LE(seen, 5) << out();
}

TEST_F(SandboxedDriverTest, SigtermReachesTheTaskWhichGetsItsGrace) {
  auto launch = Launch("trap 'echo got TERM; sleep 0.5; echo checkpointed; exit 7' TERM; echo started; "
                       "while :; do sleep 0.05; done");
  auto kill = KillSwitch::Create();
  ASSERT_TRUE(kill.ok());
  auto run = std::async(std::launch::async, [&] { return driver_->Run(launch, **kill, control_); });
  ASSERT_TRUE(WaitUntil([&] { return out().find("started") != std::string::npos; }, 30s)) << err();
  (*kill)->Pull(KillCause::kVacated, 30s);
  auto exit = run.get();
  ASSERT_TRUE(exit.ok()) << exit.error().message;
  EXPECT_EQ(exit->exit_code, 7) << "bubblewrap passes the task's own exit on; " << err();
  EXPECT_EQ(out(), "started\ngot TERM\ncheckpointed\n");
}

TEST_F(SandboxedDriverTest, StartsUnderRlimits) {
  auto launch = Launch("ulimit -n; ulimit -f; ulimit -v; ulimit -u; ulimit -c");
  launch.memory = int64_t{256} << 20;
  auto exit = Run(launch);
  EXPECT_EQ(exit.exit_code, 0) << err();
  std::istringstream lines(out());
  int64_t files = 0, fsize_blocks = 0, as_kib = 0, nproc = 0, core = -1;
  lines >> files >> fsize_blocks >> as_kib >> nproc >> core;
  EXPECT_EQ(files, kMaxTaskOpenFiles);
  EXPECT_EQ(fsize_blocks, kMaxTaskFileSize / 1024);
  EXPECT_EQ(as_kib, ((int64_t{512} << 20) + kAddressSpaceHeadroom) / 1024);
  EXPECT_GE(nproc, kProcessesPerSlot);
  EXPECT_EQ(core, 0);
}

TEST_F(SandboxedDriverTest, NothingSurvivesNotEvenAProcessThatLeftTheGroup) {
  std::string marker = "98765." + std::to_string(::getpid() % 1000);
  auto exit = Run(Launch("setsid sleep " + marker + " & sleep 0.2; echo left"));
  EXPECT_EQ(exit.exit_code, 0) << err();
  EXPECT_EQ(out(), "left\n");
  // The namespace's init ended with the task, and the kernel killed the rest.
  EXPECT_TRUE(WaitUntil([&] { return ProcessesRunning("sleep " + marker).empty(); }, 10s));
}

TEST_F(SandboxedDriverTest, TheFreezerStopsTheWholeSandbox) {
  auto opened = CgroupSubtree::Open();
  if (!opened.ok()) GTEST_SKIP() << "no writable cgroup v2 here: " << opened.error().message;
  std::string subtree = (*opened)->path();
  MakeDriver(std::move(*opened));
  auto launch = Launch("for i in 1 2; do (while :; do :; done) & done; echo started; while :; do :; done");
  auto kill = KillSwitch::Create();
  ASSERT_TRUE(kill.ok());
  auto run = std::async(std::launch::async, [&] { return driver_->Run(launch, **kill, control_); });
  ASSERT_TRUE(WaitUntil([&] { return out().find("started") != std::string::npos; }, 30s)) << err();
  // Every process of the task, bubblewrap included, is in the task's cgroup.
  auto pids = [&] {
    std::vector<pid_t> all;
    for (const auto& dir : fs::directory_iterator(subtree)) {
      if (!dir.is_directory()) continue;
      std::istringstream in(Slurp(dir.path().string() + "/cgroup.procs"));
      for (pid_t p; in >> p;) all.push_back(p);
    }
    return all;
  };
  ASSERT_TRUE(WaitUntil([&] { return pids().size() >= 5; }, 30s)) << "bwrap, its init, bash, 2 loops";
  ASSERT_TRUE(control_.Suspend().ok());
  auto frozen = pids();
  auto ticks = [&] {
    long total = 0;
    for (pid_t pid : frozen) {
      std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
      std::istringstream fields(stat.substr(stat.rfind(')') + 2));
      std::string f;
      for (int i = 3; fields >> f && i <= 15; ++i) {
        if (i == 14 || i == 15) total += std::stol(f);
      }
    }
    return total;
  };
  std::this_thread::sleep_for(50ms);
  long before = ticks();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(ticks(), before) << "a process of the sandbox ran while frozen";
  ASSERT_TRUE(control_.Resume().ok());
  EXPECT_TRUE(WaitUntil([&] { return ticks() > before; }, 20s)) << "nothing ran after resume";

  (*kill)->Pull(KillCause::kCancelled, 100ms);
  auto exit = run.get();
  ASSERT_TRUE(exit.ok()) << exit.error().message;
  EXPECT_EQ(exit->stopped_because, "cancelled");
  for (pid_t pid : frozen) {
    EXPECT_TRUE(WaitUntil([&] { return !fs::exists("/proc/" + std::to_string(pid)); }, 10s)) << pid << " survived";
  }
}

}  // namespace
}  // namespace gleaner::agent
