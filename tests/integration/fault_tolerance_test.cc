// Agents and the server die at bad moments; nothing accepted is lost and
// every task's result is accepted exactly once.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

#include "harness.h"

namespace gleaner::testing {
namespace {

std::string SubmitJob(Grid& grid, std::vector<std::string> args) {
  std::vector<std::string> argv = {"submit"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = grid.Cli(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out.substr(0, r.out.find('\n'));
}

int CountState(const nlohmann::json& tasks, const std::string& state) {
  int n = 0;
  for (const auto& t : tasks) n += t["state"] == state;
  return n;
}

TEST(FaultTolerance, TaskOfAKilledAgentFinishesOnTheOtherAgent) {
  Grid grid;  // leases of 3s
  grid.StartAgent("doomed", 1);
  std::string job = SubmitJob(grid, {"-n", "1", "--output", "out.txt", "--", "sh", "-c",
                                     "sleep 2; echo finished > out.txt"});
  ASSERT_TRUE(WaitFor([&] { return CountState(grid.Tasks(job), "running") == 1; }, 30s));
  grid.KillAgent("doomed", SIGKILL);
  grid.StartAgent("survivor", 1);
  auto wait = grid.Cli({"wait", job, "--timeout", "1m"}, 90s);
  ASSERT_EQ(wait.exit_code, 0) << wait.err;
  auto task = grid.Tasks(job)[0];
  EXPECT_EQ(task["state"], "done");
  EXPECT_EQ(task["host"], "survivor");
  EXPECT_EQ(task["attempts"], 2);
  ASSERT_EQ(task["outputs"].size(), 1u);
  EXPECT_EQ(task["outputs"][0]["name"], "out.txt");
}

TEST(FaultTolerance, ServerKilledMidJobCompletesEveryTaskExactlyOnce) {
  Grid grid;
  grid.StartAgent("pc1", 2);
  grid.StartAgent("pc2", 2);
  constexpr int kTasks = 24;
  std::string job = SubmitJob(grid, {"-n", std::to_string(kTasks), "--output", "result", "--", "sh", "-c",
                                     "sleep 0.3; echo {i} > result"});
  ASSERT_TRUE(WaitFor([&] { return CountState(grid.Tasks(job), "done") >= 4; }, 60s));
  grid.KillServer(SIGKILL);
  std::this_thread::sleep_for(500ms);  // agents keep working and find the server gone
  grid.StartServer();
  // The submission survived, and so did every result accepted before the kill.
  auto after_restart = grid.Tasks(job);
  ASSERT_EQ(after_restart.size(), static_cast<size_t>(kTasks));
  EXPECT_GE(CountState(after_restart, "done"), 4);

  auto wait = grid.Cli({"wait", job, "--timeout", "2m"}, 150s);
  ASSERT_EQ(wait.exit_code, 0) << wait.err;
  auto tasks = grid.Tasks(job);
  std::string out = grid.dir() / "results";
  ASSERT_EQ(grid.Cli({"fetch", job, "--to", out}).exit_code, 0);
  for (int i = 0; i < kTasks; ++i) {
    EXPECT_EQ(tasks[i]["state"], "done");
    EXPECT_EQ(ReadFileOrEmpty(out + "/" + std::to_string(i) + "/result"), std::to_string(i) + "\n");
  }
  auto job_view = grid.Cli({"job", job, "--json"}).Json();
  EXPECT_EQ(job_view["counts"]["done"], kTasks);
  EXPECT_EQ(job_view["state"], "done");
}

TEST(FaultTolerance, AgentCarriesOnWhenTheServerComesBack) {
  Grid grid;
  grid.StartAgent("pc1", 1);
  std::string job = SubmitJob(grid, {"-n", "3", "--", "sh", "-c", "sleep 1"});
  ASSERT_TRUE(WaitFor([&] { return CountState(grid.Tasks(job), "running") == 1; }, 30s));
  grid.KillServer(SIGKILL);
  std::this_thread::sleep_for(2s);  // the running task finishes while the server is away
  grid.StartServer();
  auto wait = grid.Cli({"wait", job, "--timeout", "1m"}, 90s);
  ASSERT_EQ(wait.exit_code, 0) << wait.err;
  for (const auto& t : grid.Tasks(job)) EXPECT_EQ(t["state"], "done");
}

}  // namespace
}  // namespace gleaner::testing
