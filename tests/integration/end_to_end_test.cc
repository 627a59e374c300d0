// A real server and real agents on 127.0.0.1 run a job submitted through the CLI.
#include <gtest/gtest.h>

#include <filesystem>

#include "harness.h"

namespace gleaner::testing {
namespace {

TEST(EndToEnd, JobRunsToCompletionWithCorrectOutputs) {
  Grid grid;
  grid.StartAgent("pc1", 2);
  grid.StartAgent("pc2", 2);
  ASSERT_TRUE(WaitFor(
      [&] {
        auto h = grid.Cli({"hosts", "--json"}).Json()["hosts"];
        return h.size() == 2 && h[0]["online"] == true && h[1]["online"] == true;
      },
      30s));
  std::string script = grid.dir() / "square.sh";
  WriteExecutable(script,
                  "#!/bin/sh\n"
                  "echo \"task $GLEANER_TASK_INDEX of $GLEANER_TASK_COUNT\"\n"
                  "echo oops >&2\n"
                  "sleep 0.3\n"  // long enough that one agent cannot take every task alone
                  "mkdir -p res\n"
                  "echo $(( $1 * $1 )) > res/square-$1.txt\n");
  auto submit = grid.Cli({"submit", "--name", "squares", "-n", "12", "--input", script, "--output", "res/*.txt", "--",
                          "./square.sh", "{i}"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_FALSE(job.empty());

  auto wait = grid.Cli({"wait", job, "--timeout", "2m"}, 150s);
  ASSERT_EQ(wait.exit_code, 0) << wait.err;

  auto tasks = grid.Tasks(job);
  ASSERT_EQ(tasks.size(), 12u);
  std::set<std::string> hosts;
  for (const auto& t : tasks) {
    EXPECT_EQ(t["state"], "done");
    EXPECT_EQ(t["attempts"], 1);
    hosts.insert(t["host"].get<std::string>());
  }
  EXPECT_EQ(hosts.size(), 2u) << "both agents should have taken work";

  std::string out = grid.dir() / "results";
  auto fetch = grid.Cli({"fetch", job, "--to", out});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  for (int i = 0; i < 12; ++i) {
    std::string dir = out + "/" + std::to_string(i);
    EXPECT_EQ(ReadFileOrEmpty(dir + "/res/square-" + std::to_string(i) + ".txt"), std::to_string(i * i) + "\n");
    EXPECT_EQ(ReadFileOrEmpty(dir + "/stdout"), "task " + std::to_string(i) + " of 12\n");
    EXPECT_EQ(ReadFileOrEmpty(dir + "/stderr"), "oops\n");
  }

  auto jobs = grid.Cli({"jobs", "--json"});
  ASSERT_EQ(jobs.exit_code, 0) << jobs.err;
  auto list = jobs.Json();
  auto& arr = list.is_object() ? list["jobs"] : list;
  ASSERT_EQ(arr.size(), 1u);
  EXPECT_EQ(arr[0]["state"], "done");
  EXPECT_EQ(arr[0]["counts"]["done"], 12);

  auto hosts_json = grid.Cli({"hosts", "--json"});
  ASSERT_EQ(hosts_json.exit_code, 0) << hosts_json.err;
  auto h = hosts_json.Json();
  EXPECT_EQ((h.is_object() ? h["hosts"] : h).size(), 2u);
}

// A submitter fetches its own results (the CLI names each file's job and
// task, as submitters must) and cannot fetch anybody else's.
TEST(EndToEnd, ASubmitterFetchesItsOwnResultsOnly) {
  Grid grid;
  grid.StartAgent("pc1", 2);
  auto created = grid.Cli({"token", "create", "--role", "submitter", "--name", "alice"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string alice = LastLine(created.out);
  auto submit = grid.Cli({"submit", "--token", alice, "-n", "2", "--output", "out.txt", "--", "sh", "-c",
                          "echo {i} > out.txt; echo hello {i}"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_EQ(grid.Cli({"wait", job, "--token", alice, "--timeout", "1m"}, 90s).exit_code, 0);
  std::string out = grid.dir() / "alice";
  auto fetch = grid.Cli({"fetch", job, "--token", alice, "--to", out});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  EXPECT_EQ(ReadFileOrEmpty(out + "/1/out.txt"), "1\n");
  EXPECT_EQ(ReadFileOrEmpty(out + "/1/stdout"), "hello 1\n");

  auto admins = grid.Cli({"submit", "-n", "1", "--", "echo", "secret"});
  ASSERT_EQ(admins.exit_code, 0) << admins.err;
  std::string admin_job = admins.out.substr(0, admins.out.find('\n'));
  ASSERT_EQ(grid.Cli({"wait", admin_job, "--timeout", "1m"}, 90s).exit_code, 0);
  auto theirs = grid.Cli({"fetch", admin_job, "--token", alice, "--to", grid.dir() / "stolen"});
  EXPECT_NE(theirs.exit_code, 0);
  EXPECT_NE(theirs.err.find("does not exist"), std::string::npos) << theirs.err;
}

TEST(EndToEnd, FailingTasksAreRetriedThenReportedWithTheirExitCode) {
  Grid grid;
  grid.StartAgent("pc1", 2);
  auto submit = grid.Cli({"submit", "-n", "2", "--max-retries", "1", "--", "sh", "-c", "exit $((3 + {i}))"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  auto wait = grid.Cli({"wait", job, "--timeout", "1m"}, 90s);
  EXPECT_EQ(wait.exit_code, 1) << "a failed job makes `wait` exit 1";
  auto tasks = grid.Tasks(job);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(tasks[i]["state"], "failed");
    EXPECT_EQ(tasks[i]["attempts"], 2);
    EXPECT_EQ(tasks[i]["exit_code"], 3 + i);
    EXPECT_NE(tasks[i]["reason"].get<std::string>().find("exit code " + std::to_string(3 + i)), std::string::npos)
        << tasks[i]["reason"];
  }
}

TEST(EndToEnd, CancelStopsRunningTasksOnTheirAgents) {
  Grid grid;
  grid.StartAgent("pc1", 2);
  std::string marker = grid.dir() / "still-running";
  auto submit = grid.Cli({"submit", "-n", "6", "--", "sh", "-c", "sleep 30; touch " + marker});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_TRUE(WaitFor(
      [&] {
        int running = 0;
        for (const auto& t : grid.Tasks(job)) running += t["state"] == "running";
        return running == 2;
      },
      30s));
  auto cancel = grid.Cli({"cancel", job});
  ASSERT_EQ(cancel.exit_code, 0) << cancel.err;
  for (const auto& t : grid.Tasks(job)) EXPECT_EQ(t["state"], "cancelled");
  // The agent hears of it at its next report and kills the process groups.
  ASSERT_TRUE(WaitFor(
      [&] {
        auto h = grid.Cli({"hosts", "--json"}).Json();
        return (h.is_object() ? h["hosts"] : h)[0]["slots_used"] == 0;
      },
      20s));
  std::string pattern = "pgrep -f '[s]leep 30; touch " + marker + "' >/dev/null";
  ASSERT_TRUE(WaitFor([&] { return std::system(pattern.c_str()) != 0; }, 20s))
      << "task processes survived the cancel";
  EXPECT_FALSE(std::filesystem::exists(marker));
  EXPECT_EQ(grid.Cli({"wait", job, "--timeout", "10s"}).exit_code, 1);
}

}  // namespace
}  // namespace gleaner::testing
