// The console's server side on a real grid: /metrics in the Prometheus text
// format, `gleaner report` agreeing with a finished job, the embedded pages,
// the grid's samples fetched whole or only the new ones, and a submitter
// seeing only its own jobs.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "client/http_client.h"
#include "harness.h"

namespace gleaner::testing {
namespace {

// The body of GET `target` without a token.
std::string Get(const Grid& grid, const std::string& target, int* status = nullptr) {
  HttpClient http = grid.Http();
  auto res = http.Send("GET", target);
  EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().message);
  if (!res.ok()) return "";
  if (status) *status = res->status;
  return res->body;
}

TEST(Console, MetricsAndReportAgreeWithAFinishedJob) {
  Grid grid;
  grid.StartAgent("pc1", 2);
  // Each task burns a little CPU so the accounting has something to count.
  auto submit = grid.Cli({"submit", "--name", "burn", "-n", "4", "--", "sh", "-c",
                          "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo {i}"});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  std::string job = submit.out.substr(0, submit.out.find('\n'));
  ASSERT_EQ(grid.Cli({"wait", job, "--timeout", "2m"}, 150s).exit_code, 0);

  std::string metrics = Get(grid, "/metrics");
  const std::regex sample(R"(^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [-+0-9.eInf]+$)");
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# ", 0) == 0) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
  }
  EXPECT_NE(metrics.find("gleaner_tasks{state=\"done\"} 4\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("gleaner_tasks_completed_total 4\n"), std::string::npos);
  EXPECT_NE(metrics.find("gleaner_agents_connected 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("gleaner_http_request_seconds_count{route=\"sync\"}"), std::string::npos);
  EXPECT_NE(metrics.find("gleaner_commit_seconds_count"), std::string::npos);

  auto report = grid.Cli({"report", "--by", "host", "--json", "--price-per-core-hour", "2"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  auto r = report.Json();
  int64_t wall_ms = 0;
  for (const auto& t : grid.Tasks(job)) wall_ms += t["wall_ms"].get<int64_t>();
  EXPECT_EQ(r["by"], "host");
  ASSERT_EQ(r["lines"].size(), 1u);
  EXPECT_EQ(r["total"]["tasks"], 4);
  EXPECT_EQ(r["total"]["failed"], 0);
  EXPECT_EQ(r["total"]["wall_ms"], wall_ms) << "the report sums the attempts' wall time";
  int64_t cpu_ms = r["total"]["cpu_ms"];
  EXPECT_GT(cpu_ms, 0) << "the tasks burned CPU";
  EXPECT_LE(cpu_ms, wall_ms * 2) << "single-threaded tasks cannot use more CPU than wall time by much";
  EXPECT_DOUBLE_EQ(r["cost_saved"].get<double>(), cpu_ms / 3.6e6 * 2);

  auto table = grid.Cli({"report", "--by", "user"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("admin"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("total"), std::string::npos);
  EXPECT_EQ(grid.Cli({"report", "--since", "soon"}).exit_code, 2);
}

TEST(Console, PagesAreEmbeddedAndServedWithoutAToken) {
  Grid grid;
  int status = 0;
  EXPECT_NE(Get(grid, "/", &status).find("<title>Gleaner console</title>"), std::string::npos);
  EXPECT_EQ(status, 200);
  EXPECT_NE(Get(grid, "/assets/app.js", &status).find("import"), std::string::npos);
  EXPECT_EQ(status, 200);
  Get(grid, "/assets/missing.js", &status);
  EXPECT_EQ(status, 404);
  Get(grid, "/api/v1/stats", &status);
  EXPECT_EQ(status, 401) << "data still needs a token";
}

// GET `target` with the admin token: the status and the JSON body.
nlohmann::json GetJson(const Grid& grid, const std::string& target, int* status) {
  HttpClient http = grid.Http(grid.admin_token());
  auto res = http.Send("GET", target);
  EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().message);
  if (!res.ok()) return nullptr;
  *status = res->status;
  return nlohmann::json::parse(res->body, nullptr, /*allow_exceptions=*/false);
}

TEST(Console, StatsSinceReturnsOnlyNewerSamples) {
  Grid grid;
  int status = 0;
  nlohmann::json all;
  // The server samples on start and then every 2 s.
  ASSERT_TRUE(WaitFor([&] {
    all = GetJson(grid, "/api/v1/stats", &status);
    return status == 200 && all["samples"].size() >= 2;
  }, 10s)) << all.dump();
  EXPECT_EQ(all["period_ms"], 2000);

  int64_t first = all["samples"][0]["at"];
  auto newer = GetJson(grid, "/api/v1/stats?since=" + std::to_string(first), &status);
  ASSERT_EQ(status, 200) << newer.dump();
  EXPECT_EQ(newer["period_ms"], 2000) << "the same shape as without since";
  ASSERT_GE(newer["samples"].size(), 1u);
  EXPECT_EQ(newer["samples"][0], all["samples"][1]) << "the sample at `since` is left out, the next one starts";
  for (const auto& s : newer["samples"]) EXPECT_GT(s["at"].get<int64_t>(), first);

  int64_t ahead = all["samples"].back()["at"].get<int64_t>() + 3'600'000;
  auto none = GetJson(grid, "/api/v1/stats?since=" + std::to_string(ahead), &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(none["samples"], nlohmann::json::array());

  for (const std::string bad : {"soon", "-1", "1.5", "", "99999999999999999999"}) {
    auto error = GetJson(grid, "/api/v1/stats?since=" + bad, &status);
    EXPECT_EQ(status, 400) << "since=" << bad;
    EXPECT_EQ(error["error"]["code"], "invalid_argument") << error.dump();
    EXPECT_NE(error["error"]["message"].get<std::string>().find("since='" + bad + "'"), std::string::npos)
        << error.dump();
  }
}

TEST(Console, ASubmitterSeesAndCancelsOnlyItsOwnJobs) {
  Grid grid;
  auto admin_job = grid.Cli({"submit", "-n", "1", "--", "true"});
  ASSERT_EQ(admin_job.exit_code, 0) << admin_job.err;
  std::string admin_id = admin_job.out.substr(0, admin_job.out.find('\n'));
  auto created = grid.Cli({"token", "create", "--role", "submitter", "--name", "alice"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string alice = LastLine(created.out);

  auto own = grid.Cli({"submit", "--token", alice, "-n", "1", "--", "true"});
  ASSERT_EQ(own.exit_code, 0) << own.err;
  auto jobs = grid.Cli({"jobs", "--json", "--token", alice});
  ASSERT_EQ(jobs.exit_code, 0) << jobs.err;
  auto list = jobs.Json()["jobs"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["owner"], "alice");

  auto other = grid.Cli({"job", admin_id, "--token", alice});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("does not exist"), std::string::npos) << other.err;
  EXPECT_EQ(grid.Cli({"cancel", admin_id, "--token", alice}).exit_code, 2);
  EXPECT_EQ(grid.Cli({"jobs", "--json"}).Json()["jobs"].size(), 2u) << "an admin sees every job";
}

}  // namespace
}  // namespace gleaner::testing
