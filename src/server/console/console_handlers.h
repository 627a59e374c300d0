// ConsoleHandlers: the routes of the management console — its static files,
// /metrics, the usage report and the grid's recent samples — beside the
// /api/v1 handlers, which hand these routes here once admitted.
// Thread-safe: holds no mutable state but thread-safe collaborators.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "server/console/report_service.h"
#include "server/console/request_metrics.h"
#include "server/console/sample_ring.h"
#include "server/coordinator.h"
#include "server/http/request.h"

namespace gleaner::server {

class ConsoleHandlers {
 public:
  ConsoleHandlers(Coordinator& coordinator, const Committer& committer, ReportService& reports,
                  const SampleRing& samples, std::chrono::milliseconds sample_period)
      : coordinator_(coordinator), committer_(committer), reports_(reports), samples_(samples),
        sample_period_(sample_period) {}

  // The console's routes (RouteId::kAsset, kMetrics, kReport, kStats).
  Response Asset(const Request& request) const;
  boost::asio::awaitable<Response> Metrics();
  boost::asio::awaitable<Response> Report(const Request& request, const Principal& who);
  // GET /stats[?since=<Unix ms>]: the samples taken after `since`, or all.
  Response Stats(const Request& request) const;
  RequestMetrics& request_metrics() { return request_metrics_; }

 private:

  Coordinator& coordinator_;
  const Committer& committer_;
  ReportService& reports_;
  const SampleRing& samples_;
  const std::chrono::milliseconds sample_period_;
  RequestMetrics request_metrics_;
};

}  // namespace gleaner::server
