// The owner comes first, end to end: real agents watching an activity file
// suspend every process of a running task (forked children included) when the
// owner returns, resume it when they leave, vacate it to another host when
// they stay, and apply policies set on the server.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness.h"

namespace gleaner::testing {
namespace {

namespace fs = std::filesystem;

// The owner's state as the agent's --activity-file sees it, replaced
// atomically so the agent never reads half a word.
void SetOwner(const std::string& file, const std::string& state) {
  std::ofstream(file + ".new") << state << '\n';
  fs::rename(file + ".new", file);
}

std::vector<pid_t> ReadPids(const std::string& file) {
  std::vector<pid_t> pids;
  std::istringstream in(ReadFileOrEmpty(file));
  for (pid_t p; in >> p;) pids.push_back(p);
  return pids;
}

std::string StatFields(pid_t pid) {
  std::string stat = ReadFileOrEmpty("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  return close == std::string::npos ? "" : stat.substr(close + 2);
}

char StateOf(pid_t pid) {
  std::string f = StatFields(pid);
  return f.empty() ? '?' : f[0];
}

// Frozen by the cgroup v2 freezer: the process's cgroup says "frozen 1".
bool Frozen(pid_t pid) {
  std::string cgroup = ReadFileOrEmpty("/proc/" + std::to_string(pid) + "/cgroup");
  auto v2 = cgroup.find("0::");
  if (v2 == std::string::npos) return false;
  std::string path = cgroup.substr(v2 + 3, cgroup.find('\n', v2) - v2 - 3);
  for (const char* mount : {"/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
    std::string events = ReadFileOrEmpty(std::string(mount) + path + "/cgroup.events");
    if (!events.empty()) return events.find("frozen 1") != std::string::npos;
  }
  return false;
}

// A task that forks two busy children and busies itself, each writing its pid.
std::vector<std::string> ForkingTask(const std::string& pid_file) {
  std::string record = "echo $$ >> " + pid_file;
  return {"sh", "-c",
          "for n in 1 2; do sh -c '" + record + "; while :; do :; done' & done; " + record + "; while :; do :; done"};
}

class OwnerYieldTest : public ::testing::Test {
 protected:
  OwnerYieldTest() {
    shared_ = grid_.dir() / "shared";
    fs::create_directories(shared_);
    fs::permissions(shared_, fs::perms::all);  // tasks may run as the gleaner user
  }

  std::string Submit(std::vector<std::string> command, std::vector<std::string> flags = {}) {
    std::vector<std::string> args = {"submit", "-n", "1"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back("--");
    args.insert(args.end(), command.begin(), command.end());
    auto r = grid_.Cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }

  void SetPolicy(std::vector<std::string> flags) {
    flags.insert(flags.begin(), {"policy", "set"});
    auto r = grid_.Cli(flags);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  std::string Why(const std::string& host) { return grid_.Cli({"host", host, "--why"}).out; }

  void RunOwnerReturns(const std::string& method) {
    SetPolicy({"--start-after", "0s", "--vacate-after", "1h"});
    std::string owner = shared_ + "/owner";
    SetOwner(owner, "idle");
    // --no-sandbox: the test reads the task's host pids from a file outside its
    // work dir, which the sandbox hides (tests/unit/agent/sandboxed_driver_test.cc
    // suspends sandboxed tasks).
    grid_.StartAgent("desk", 1, {"--activity-file", owner, "--suspend", method, "--no-sandbox"});
    std::string pid_file = shared_ + "/pids";
    std::string job = Submit(ForkingTask(pid_file));
    ASSERT_TRUE(WaitFor([&] { return ReadPids(pid_file).size() == 3; }, 30s)) << grid_.Tasks(job).dump();
    auto pids = ReadPids(pid_file);

    SetOwner(owner, "active");
    auto stopped = [&](pid_t pid) { return method == "signals" ? StateOf(pid) == 'T' : Frozen(pid); };
    ASSERT_TRUE(WaitFor([&] { return std::all_of(pids.begin(), pids.end(), stopped); }, 2s))
        << "states: " << StateOf(pids[0]) << StateOf(pids[1]) << StateOf(pids[2]);
    if (method == "signals") {
      for (pid_t pid : pids) EXPECT_EQ(StateOf(pid), 'T') << "pid " << pid;
    }
    EXPECT_TRUE(WaitFor([&] { return Why("desk").find("owner active now") != std::string::npos; }, 10s)) << Why("desk");
    EXPECT_NE(grid_.Cli({"hosts"}).out.find("suspended"), std::string::npos);

    SetOwner(owner, "idle");
    ASSERT_TRUE(WaitFor([&] { return std::none_of(pids.begin(), pids.end(), stopped); }, 2s));
    EXPECT_EQ(grid_.Cli({"cancel", job}).exit_code, 0);
  }

  Grid grid_;
  std::string shared_;
};

TEST_F(OwnerYieldTest, OwnerReturnsAndLeavesWithStopSignals) { RunOwnerReturns("signals"); }

TEST_F(OwnerYieldTest, OwnerReturnsAndLeavesWithTheFreezer) {
  if (!fs::exists("/sys/fs/cgroup/unified/cgroup.procs") && !fs::exists("/sys/fs/cgroup/cgroup.procs")) {
    GTEST_SKIP() << "no cgroup v2 on this host";
  }
  RunOwnerReturns("freezer");
}

TEST_F(OwnerYieldTest, OwnerStaysSoTheTaskIsVacatedAndFinishesElsewhere) {
  SetPolicy({"--start-after", "0s", "--vacate-after", "2s"});
  std::string first = shared_ + "/first", second = shared_ + "/second";
  SetOwner(first, "idle");
  SetOwner(second, "active");  // takes no work until its owner leaves
  // --no-sandbox: the task marks its start in a file outside its work dir.
  grid_.StartAgent("first", 1, {"--activity-file", first, "--no-sandbox"});
  grid_.StartAgent("second", 1, {"--activity-file", second, "--no-sandbox"});
  std::string started = shared_ + "/started";
  // No retries: a vacate must not use one up.
  std::string job = Submit({"sh", "-c", "echo $$ >> " + started + "; sleep 3"}, {"--max-retries", "0"});
  ASSERT_TRUE(WaitFor([&] { return ReadPids(started).size() == 1; }, 30s));
  // Not "second", whose owner is active: no agent takes work before it has
  // looked at its owner (docs/policy.md, "Starting up").
  EXPECT_EQ(grid_.Tasks(job)[0]["host"], "first");

  SetOwner(first, "active");
  SetOwner(second, "idle");
  ASSERT_TRUE(WaitFor([&] { return grid_.Tasks(job)[0]["state"] == "done"; }, 60s)) << grid_.Tasks(job).dump(2);
  auto task = grid_.Tasks(job)[0];
  EXPECT_EQ(task["host"], "second");
  // Exactly the vacated attempt and the one that finished. (A third was seen
  // on a loaded machine while an agent took work before its first look at
  // its owner: "second" got the task while active, suspended and vacated it;
  // docs/policy.md, "Starting up".)
  EXPECT_EQ(task["attempts"].get<int>(), 2) << task.dump(2);
  std::string history = task["events"].dump();
  EXPECT_NE(history.find("suspended"), std::string::npos) << history;
  EXPECT_NE(history.find("vacated"), std::string::npos) << history;
}

TEST_F(OwnerYieldTest, PolicyChangesReachTheAgentAndBadOnesAreRefused) {
  std::string owner = shared_ + "/owner";
  SetOwner(owner, "idle");
  SetPolicy({"--start-after", "1h"});
  grid_.StartAgent("desk", 1, {"--activity-file", owner});
  ASSERT_TRUE(WaitFor([&] { return Why("desk").find("starts after 1h idle") != std::string::npos; }, 15s))
      << Why("desk");
  SetPolicy({"--host", "desk", "--start-after", "0s"});
  ASSERT_TRUE(WaitFor([&] { return Why("desk").find("work runs") != std::string::npos; }, 15s)) << Why("desk");
  auto shown = grid_.Cli({"policy", "show", "--host", "desk", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.Json()["scope"], "host desk");

  auto refused = grid_.Cli({"policy", "set", "--window", "Mon 09:00-09:00"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("never opens"), std::string::npos) << refused.err;

  // Caps reach the agent, which says how it enforces them.
  SetPolicy({"--host", "desk", "--max-cpu-percent", "50", "--max-memory", "1GiB"});
  ASSERT_TRUE(WaitFor([&] { return Why("desk").find("at most 50% CPU (") != std::string::npos; }, 15s)) << Why("desk");
  EXPECT_NE(Why("desk").find("memory at most 1.0G ("), std::string::npos) << Why("desk");
  auto zero = grid_.Cli({"policy", "set", "--max-cpu-percent", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("give 1 to 100"), std::string::npos) << zero.err;
  auto tiny = grid_.Cli({"policy", "set", "--max-memory", "1M"});
  EXPECT_EQ(tiny.exit_code, 2);
  EXPECT_NE(tiny.err.find("no task could even start"), std::string::npos) << tiny.err;
}

// A job asking for more memory than a host's cap offers does not go there.
TEST_F(OwnerYieldTest, MemoryCapKeepsBigJobsAway) {
  std::string owner = shared_ + "/owner";
  SetOwner(owner, "idle");
  SetPolicy({"--start-after", "0s", "--max-memory", "256MiB"});
  grid_.StartAgent("desk", 1, {"--activity-file", owner});
  std::string big = Submit({"true"}, {"--memory", "512M"});
  std::string small = Submit({"true"}, {"--memory", "128M"});
  ASSERT_TRUE(WaitFor([&] { return grid_.Tasks(small)[0]["state"] == "done"; }, 30s)) << grid_.Tasks(small).dump(2);
  EXPECT_EQ(grid_.Tasks(big)[0]["state"], "queued");
  SetPolicy({"--max-memory", "off"});
  ASSERT_TRUE(WaitFor([&] { return grid_.Tasks(big)[0]["state"] == "done"; }, 30s)) << grid_.Tasks(big).dump(2);
}

}  // namespace
}  // namespace gleaner::testing
