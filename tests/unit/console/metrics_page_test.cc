#include "server/console/metrics_page.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace gleaner::server {
namespace {

TEST(MetricsPage, EveryLineIsACommentOrASampleAndTheCountsAreThere) {
  api::StatsSample grid;
  grid.tasks = {4, 2, 10, 1, 3};
  grid.attempts_started = 17;
  grid.hosts = 3;
  grid.hosts_online = 2;
  grid.hosts_owner_idle = 1;  // the other online host senses no owner
  CommitStats commits;
  commits.batch_records.Observe(12);
  commits.commit_seconds.Observe(0.002);
  std::map<std::string, Histogram> http;
  http.emplace("list_jobs", Histogram(LatencyBuckets())).first->second.Observe(0.001);

  std::string text = RenderMetrics(grid, commits, http);
  const std::regex sample(R"(^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [-+0-9.eInf]+$)");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
  }
  for (const char* want : {"gleaner_tasks{state=\"queued\"} 4\n", "gleaner_queue_depth 4\n",
                           "gleaner_tasks_completed_total 11\n", "gleaner_attempts_dispatched_total 17\n",
                           "gleaner_agents_connected 2\n", "gleaner_hosts{state=\"offline\"} 1\n",
                           "gleaner_hosts_by_owner{owner=\"idle\"} 1\n",
                           "gleaner_hosts_by_owner{owner=\"unknown\"} 1\n",
                           "gleaner_commit_batch_records_count 1\n", "gleaner_commit_seconds_bucket{le=\"0.0025\"} 1\n",
                           "gleaner_http_request_seconds_count{route=\"list_jobs\"} 1\n"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want;
  }
}

}  // namespace
}  // namespace gleaner::server
