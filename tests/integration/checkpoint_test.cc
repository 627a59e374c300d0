// Checkpoint migration on real processes: a counting task whose agent is
// killed half-way finishes on another agent from where it was, not from zero.
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <regex>

#include "harness.h"

namespace gleaner::testing {
namespace {

// Counts 1..40, a quarter second a step, keeping its count in the checkpoint
// dir (replaced atomically) and resuming from it; says where it started.
constexpr const char* kCountingTask = R"sh(
cp="$GLEANER_CHECKPOINT_DIR"
n=0
if [ -f "$cp/count" ]; then n=$(cat "$cp/count"); fi
echo "start $n"
while [ "$n" -lt 40 ]; do
  n=$((n + 1))
  echo "$n" > "$cp/count.tmp" && mv "$cp/count.tmp" "$cp/count"
  sleep 0.25
done
echo "done $n"
)sh";

std::string CheckpointOf(const nlohmann::json& task) {
  return task.contains("checkpoint") ? task["checkpoint"]["sha256"].get<std::string>() : "";
}

TEST(CheckpointMigration, CountingTaskResumesOnAnotherAgentAfterItsAgentIsKilled) {
  Grid grid;  // leases of 3s
  Process& doomed = grid.StartAgent("doomed", 1, {"--checkpoint-interval", "500ms"});
  auto submit = grid.Cli({"submit", "-n", "1", "--", "sh", "-c", kCountingTask});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));

  // Two different checkpoints have reached the server: the count is past 1.
  std::string first;
  ASSERT_TRUE(WaitFor([&] { return !(first = CheckpointOf(grid.Tasks(job)[0])).empty(); }, 60s))
      << grid.Tasks(job).dump() << "\n" << doomed.Stderr();
  ASSERT_TRUE(WaitFor([&] {
    std::string now = CheckpointOf(grid.Tasks(job)[0]);
    return !now.empty() && now != first;
  }, 60s)) << grid.Tasks(job).dump() << "\n" << doomed.Stderr();
  auto before = grid.Tasks(job)[0];
  ASSERT_EQ(before["state"], "running");
  ASSERT_EQ(before["checkpoint"]["name"], "checkpoint.tar");
  grid.KillAgent("doomed", SIGKILL);

  grid.StartAgent("survivor", 1, {"--checkpoint-interval", "500ms"});
  auto wait = grid.Cli({"wait", job, "--timeout", "2m"}, 150s);
  ASSERT_EQ(wait.exit_code, 0) << wait.err;
  auto task = grid.Tasks(job)[0];
  EXPECT_EQ(task["state"], "done");
  EXPECT_EQ(task["host"], "survivor");
  EXPECT_EQ(task["attempts"], 2);
  EXPECT_FALSE(task.contains("checkpoint"));  // a finished task keeps none

  std::string out = grid.dir() / "out";
  auto fetch = grid.Cli({"fetch", job, "--to", out});
  ASSERT_EQ(fetch.exit_code, 0) << fetch.err;
  std::string stdout_text = ReadFileOrEmpty(out + "/0/stdout");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(stdout_text, m, std::regex("^start (\\d+)\n"))) << stdout_text;
  int started_at = std::stoi(m[1]);
  std::cout << "the second attempt resumed at " << started_at << " of 40\n";
  EXPECT_GE(started_at, 2) << "the second attempt started from zero:\n" << stdout_text;
  EXPECT_LT(started_at, 40);
  EXPECT_NE(stdout_text.find("done 40\n"), std::string::npos) << stdout_text;
}

}  // namespace
}  // namespace gleaner::testing
