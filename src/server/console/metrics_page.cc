#include "server/console/metrics_page.h"

#include "server/console/prometheus_text.h"

namespace gleaner::server {

std::string RenderMetrics(const api::StatsSample& grid, const CommitStats& commits,
                          const std::map<std::string, Histogram>& http_latency) {
  PrometheusText page;
  auto d = [](int64_t v) { return static_cast<double>(v); };
  const auto& t = grid.tasks;

  page.Family("gleaner_tasks", "gauge", "Tasks by state.");
  using StateCount = std::pair<const char*, int64_t>;
  for (const auto& [state, n] : {StateCount{"queued", t.queued}, StateCount{"running", t.running},
                                 StateCount{"done", t.done}, StateCount{"failed", t.failed},
                                 StateCount{"cancelled", t.cancelled}}) {
    page.Sample("gleaner_tasks", {{"state", state}}, d(n));
  }
  page.Family("gleaner_queue_depth", "gauge", "Tasks waiting for a host.");
  page.Sample("gleaner_queue_depth", {}, d(t.queued));
  // Counters, so rate() gives the dispatch and completion rates.
  page.Family("gleaner_attempts_dispatched_total", "counter", "Attempts handed to agents.");
  page.Sample("gleaner_attempts_dispatched_total", {}, d(grid.attempts_started));
  page.Family("gleaner_tasks_completed_total", "counter", "Tasks that reached done or failed.");
  page.Sample("gleaner_tasks_completed_total", {}, d(t.done + t.failed));

  page.Family("gleaner_agents_connected", "gauge", "Hosts that reported within one lease.");
  page.Sample("gleaner_agents_connected", {}, d(grid.hosts_online));
  page.Family("gleaner_hosts", "gauge", "Enrolled hosts by state.");
  page.Sample("gleaner_hosts", {{"state", "online"}}, d(grid.hosts_online));
  page.Sample("gleaner_hosts", {{"state", "offline"}}, d(grid.hosts - grid.hosts_online));
  page.Family("gleaner_hosts_by_owner", "gauge", "Online hosts by what their owner is doing.");
  page.Sample("gleaner_hosts_by_owner", {{"owner", "active"}}, d(grid.hosts_owner_active));
  page.Sample("gleaner_hosts_by_owner", {{"owner", "idle"}}, d(grid.hosts_owner_idle));
  page.Sample("gleaner_hosts_by_owner", {{"owner", "unknown"}},
              d(grid.hosts_online - grid.hosts_owner_active - grid.hosts_owner_idle));
  page.Family("gleaner_slots", "gauge", "Task slots of online hosts, and how many are busy.");
  page.Sample("gleaner_slots", {{"use", "total"}}, d(grid.slots));
  page.Sample("gleaner_slots", {{"use", "busy"}}, d(grid.slots_used));

  page.Family("gleaner_commit_batch_records", "histogram", "Records per group commit.");
  page.Histogram("gleaner_commit_batch_records", {}, commits.batch_records);
  page.Family("gleaner_commit_seconds", "histogram", "Time to apply and fsync one group commit.");
  page.Histogram("gleaner_commit_seconds", {}, commits.commit_seconds);

  page.Family("gleaner_http_request_seconds", "histogram", "Time to answer an HTTP request, by route.");
  for (const auto& [route, h] : http_latency) page.Histogram("gleaner_http_request_seconds", {{"route", route}}, h);
  return page.text();
}

}  // namespace gleaner::server
