// Matchmaking on real processes (docs/scheduling.md): a job's requirements
// pick the agents that run it; what does not parse is refused at submit; a
// job no host can run is accepted and says so.
#include <gtest/gtest.h>

#include "harness.h"

namespace gleaner::testing {
namespace {

std::string JobId(const CliResult& r) { return r.out.substr(0, r.out.find('\n')); }

// Waits until `names` are all enrolled.
bool Enrolled(Grid& grid, const std::vector<std::string>& names) {
  return WaitFor(
      [&] {
        auto hosts = grid.Cli({"hosts", "--json"});
        for (const auto& name : names) {
          if (hosts.out.find("\"" + name + "\"") == std::string::npos) return false;
        }
        return true;
      },
      60s);
}

TEST(Matchmaking, RequirementsPickTheAgentsThatRunAJob) {
  Grid grid;
  grid.StartAgent("pc-a", 2);
  grid.StartAgent("pc-b", 2);
  ASSERT_TRUE(Enrolled(grid, {"pc-a", "pc-b"}));
  auto picky = grid.Cli({"submit", "-n", "6", "--requirements", "hostname == \"pc-b\" && os == \"linux\" && cores >= 1",
                         "--", "true"});
  ASSERT_EQ(picky.exit_code, 0) << picky.err;
  EXPECT_EQ(picky.err, "");
  std::string job = JobId(picky);
  auto wait = grid.Cli({"wait", job, "--timeout", "1m"}, 90s);
  ASSERT_EQ(wait.exit_code, 0) << wait.err;
  for (const auto& t : grid.Tasks(job)) EXPECT_EQ(t["host"], "pc-b") << t.dump();
  auto shown = grid.Cli({"job", job, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.Json()["spec"]["requirements"], "hostname == \"pc-b\" && os == \"linux\" && cores >= 1");
}

TEST(Matchmaking, AnExpressionThatDoesNotParseIsRefusedWithItsPosition) {
  Grid grid;
  auto bad = grid.Cli({"submit", "--requirements", "cores >= 4 && mem >= 8G", "--", "true"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("requirements: at 15: unknown fact 'mem'"), std::string::npos) << bad.err;
  auto rank = grid.Cli({"submit", "--rank", "os", "--", "true"});
  EXPECT_EQ(rank.exit_code, 2);
  EXPECT_NE(rank.err.find("rank must be a number"), std::string::npos) << rank.err;
  // The API refuses it too, for clients that do not check first.
  auto admin = grid.Http(grid.admin_token());
  auto r = admin.Send("POST", "/api/v1/jobs", R"({"command": ["true"], "requirements": "os == "})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("requirements: at 7: expected a fact"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("invalid_argument"), std::string::npos) << r->body;
}

TEST(Matchmaking, AJobNoHostCanRunIsAcceptedAndSaysSo) {
  Grid grid;
  grid.StartAgent("pc-a", 1);
  ASSERT_TRUE(Enrolled(grid, {"pc-a"}));
  auto huge = grid.Cli({"submit", "--requirements", "memory >= 1024T", "--", "true"});
  ASSERT_EQ(huge.exit_code, 0) << huge.err;
  EXPECT_NE(huge.err.find("no enrolled host can run it: of 1 host, 1 do not meet its requirements"),
            std::string::npos)
      << huge.err;
  std::string job = JobId(huge);
  auto runnable = grid.Cli({"submit", "--", "true"});
  ASSERT_EQ(runnable.exit_code, 0) << runnable.err;
  auto wait = grid.Cli({"wait", JobId(runnable), "--timeout", "1m"}, 90s);
  ASSERT_EQ(wait.exit_code, 0) << wait.err;
  EXPECT_EQ(grid.Tasks(job)[0]["state"], "queued");
}

}  // namespace
}  // namespace gleaner::testing
