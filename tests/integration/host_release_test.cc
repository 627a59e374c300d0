// `gleaner host release HOST`: a host quarantined for failing many tasks
// takes work again once an admin releases it. And a restarted agent's facts
// replace those it enrolled with.
#include <gtest/gtest.h>

#include <csignal>

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

// An agent keeps its credential across restarts, so it never enrols again:
// what it found at its start (here, a sandbox it did not use before) reaches
// the server with its first sync instead.
TEST(HostFacts, AnAgentRestartedWithItsSandboxOnSaysSo) {
  Grid grid;
  grid.StartAgent("pc1", 1, {"--no-sandbox"});
  ASSERT_TRUE(WaitFor([&] { return HostNamed(grid, "pc1").contains("facts"); }, 60s));
  std::string before = HostNamed(grid, "pc1")["facts"].value("sandbox", "");
  EXPECT_EQ(before.rfind("none (turned off with --no-sandbox)", 0), 0u) << before;
  int64_t id = HostNamed(grid, "pc1")["id"];

  grid.KillAgent("pc1", SIGTERM);
  grid.StartAgent("pc1", 1);
  ASSERT_TRUE(WaitFor([&] { return HostNamed(grid, "pc1")["facts"].value("sandbox", "") == "bubblewrap"; }, 60s))
      << HostNamed(grid, "pc1").dump();
  EXPECT_EQ(HostNamed(grid, "pc1")["id"], id);  // the same host, not a new enrolment
  auto hosts = grid.Cli({"hosts", "--json"}).Json();
  EXPECT_EQ((hosts.is_object() ? hosts["hosts"] : hosts).size(), 1u);
}

}  // namespace
}  // namespace gleaner::testing
