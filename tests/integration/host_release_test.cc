// `gleaner host release HOST`: a host quarantined for failing many tasks
// takes work again once an admin releases it.
#include <gtest/gtest.h>

#include "harness.h"

namespace gleaner::testing {
namespace {

// The host's JSON, or an empty object while it is not (yet) listed.
nlohmann::json HostNamed(Grid& grid, const std::string& name) {
  auto r = grid.Cli({"hosts", "--json"});
  if (r.exit_code != 0) return nlohmann::json::object();
  auto j = r.Json();
  for (const auto& h : j.is_object() ? j["hosts"] : j) {
    if (h["facts"]["hostname"] == name) return h;
  }
  return nlohmann::json::object();
}

TEST(HostRelease, QuarantinedHostIsReleasedByTheCliAndRunsWorkAgain) {
  Grid grid;
  grid.StartAgent("flaky", 1);
  auto bad = grid.Cli({"submit", "-n", "5", "--max-retries", "0", "--", "false"});
  ASSERT_EQ(bad.exit_code, 0) << bad.err;
  ASSERT_TRUE(WaitFor([&] { return HostNamed(grid, "flaky").value("quarantined", false); }, 90s))
      << HostNamed(grid, "flaky").dump();

  auto released = grid.Cli({"host", "release", "flaky"});
  ASSERT_EQ(released.exit_code, 0) << released.err;
  EXPECT_NE(released.out.find("host flaky released from quarantine (it was: failed 5 different tasks in a row"),
            std::string::npos)
      << released.out;
  EXPECT_FALSE(HostNamed(grid, "flaky").value("quarantined", true));
  auto again = grid.Cli({"host", "release", "flaky"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "host flaky is not quarantined; nothing to release\n");
  auto unknown = grid.Cli({"host", "release", "nosuch"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no host 'nosuch'"), std::string::npos) << unknown.err;

  auto good = grid.Cli({"submit", "-n", "1", "--", "true"});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  std::string job = good.out.substr(0, good.out.find('\n'));
  auto wait = grid.Cli({"wait", job, "--timeout", "1m"}, 90s);
  EXPECT_EQ(wait.exit_code, 0) << wait.err;
  EXPECT_EQ(grid.Tasks(job)[0]["host"], "flaky");
}

}  // namespace
}  // namespace gleaner::testing
