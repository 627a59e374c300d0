#include "server/console/request_metrics.h"

namespace gleaner::server {

void RequestMetrics::Observe(const std::string& route, double seconds) {
  std::lock_guard lock(mu_);
  auto it = by_route_.try_emplace(route, LatencyBuckets()).first;
  it->second.Observe(seconds);
}

std::map<std::string, Histogram> RequestMetrics::Snapshot() const {
  std::lock_guard lock(mu_);
  return by_route_;
}

}  // namespace gleaner::server
