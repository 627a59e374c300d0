// An online backup taken while agents work, restored into a new data
// directory: every job is there, every task done before the backup is done
// with the same outputs, and the restored server finishes the rest.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "harness.h"

namespace gleaner::testing {
namespace {

int Done(const nlohmann::json& tasks) {
  int n = 0;
  for (const auto& t : tasks) n += t["state"] == "done";
  return n;
}

TEST(Backup, OnlineBackupRestoresAndTheRestoredServerFinishesTheJobs) {
  Grid grid;
  grid.StartAgent("pc1", 2);
  std::string input = grid.dir() / "data.txt";
  std::ofstream(input) << "input bytes\n";
  auto finished = grid.Cli({"submit", "-n", "4", "--input", input, "--output", "out", "--", "sh", "-c",
                            "cat data.txt > out; echo {i} >> out"});
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  std::string job1 = finished.out.substr(0, finished.out.find('\n'));
  ASSERT_EQ(grid.Cli({"wait", job1, "--timeout", "1m"}, 90s).exit_code, 0);
  auto running = grid.Cli({"submit", "-n", "40", "--output", "out", "--", "sh", "-c", "sleep 0.2; echo {i} > out"});
  ASSERT_EQ(running.exit_code, 0) << running.err;
  std::string job2 = running.out.substr(0, running.out.find('\n'));
  ASSERT_TRUE(WaitFor([&] { return Done(grid.Tasks(job2)) >= 2; }, 30s));

  auto before = grid.Tasks(job2);
  std::string backup_dir = grid.dir() / "backup";
  auto backup = grid.Cli({"backup", "--to", backup_dir});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  auto after = grid.Tasks(job2);
  EXPECT_TRUE(std::filesystem::exists(backup_dir + "/BACKUP.json"));
  EXPECT_EQ(grid.Cli({"backup", "--to", backup_dir}).exit_code, 2) << "a backup never overwrites another";

  std::string restored = grid.dir() / "restored";
  auto restore = grid.Cli({"restore", "--from", backup_dir, "--data", restored});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(grid.Cli({"check", "--data", restored}).exit_code, 0);

  // A second server on the restored data, with its own agent.
  Process server({GleanerBinary(), "server", "--data", restored, "--listen", "127.0.0.1:0", "--lease", "3s"}, {},
                 grid.dir() / "restored-server");
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(restored + "/server.url"); }, 20s)) << server.Stderr();
  std::string url = ReadFileOrEmpty(restored + "/server.url");
  url.pop_back();
  int calls = 0;
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), GleanerBinary());
    Process p(args, {{"GLEANER_SERVER", url}, {"GLEANER_TOKEN", grid.admin_token()}},
              grid.dir() / ("restored-cli-" + std::to_string(calls++)));
    CliResult r;
    r.exit_code = p.Wait(120s);
    r.out = p.Stdout();
    r.err = p.Stderr();
    return r;
  };
  auto restored_tasks = cli({"tasks", job2, "--json"}).Json()["tasks"];
  ASSERT_EQ(restored_tasks.size(), 40u);
  int restored_done = Done(restored_tasks);
  EXPECT_GE(restored_done, Done(before));
  EXPECT_LE(restored_done, Done(after));
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i]["state"] != "done") continue;
    EXPECT_EQ(restored_tasks[i]["state"], "done") << "task " << i;
    EXPECT_EQ(restored_tasks[i]["outputs"], before[i]["outputs"]) << "task " << i;
  }
  auto job1_tasks = cli({"tasks", job1, "--json"}).Json()["tasks"];
  EXPECT_EQ(Done(job1_tasks), 4);

  grid.KillServer(SIGTERM);  // the original goes away; only the restored one remains
  std::string work = grid.dir() / "restored-agent";
  std::filesystem::create_directories(work);
  auto join = cli({"token", "create", "--role", "agent"}).out;
  join.pop_back();
  Process agent({GleanerBinary(), "agent", "--server", url, "--join", join.substr(join.rfind('\n') + 1), "--work", work,
                 "--slots", "2", "--name", "restored-pc"},
                {}, work + "-log");
  ASSERT_EQ(cli({"wait", job2, "--timeout", "90s"}).exit_code, 0);
  std::string out = grid.dir() / "fetched";
  ASSERT_EQ(cli({"fetch", job1, "--to", out}).exit_code, 0);
  EXPECT_EQ(ReadFileOrEmpty(out + "/3/out"), "input bytes\n3\n") << "inputs and outputs came back with the blobs";
}

}  // namespace
}  // namespace gleaner::testing
