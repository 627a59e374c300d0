// RequestMetrics: how long the server took to answer, per API route, as
// latency histograms for /metrics. Thread-safe: every I/O thread observes.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "common/histogram.h"

namespace gleaner::server {

class RequestMetrics {
 public:
  void Observe(const std::string& route, double seconds);
  // A copy, keyed by route name, so rendering holds no lock.
  std::map<std::string, Histogram> Snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Histogram> by_route_;  // guarded by mu_
};

}  // namespace gleaner::server
