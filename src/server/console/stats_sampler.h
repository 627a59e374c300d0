// StatsSampler: every `period`, takes a sample of the grid on the scheduler
// strand and keeps it in a SampleRing. SampleGrid is the pure part, also
// used by /metrics for a fresh sample. Start() once; Stop() before the
// io_context stops.
#pragma once

#include <utility>  // must precede Boost.Asio with Boost 1.74 in C++20

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "server/console/sample_ring.h"
#include "server/coordinator.h"

namespace gleaner::server {

// Totals of tasks, attempts, hosts and slots at `now`; reads only.
api::StatsSample SampleGrid(const Scheduler& scheduler, int64_t now);

class StatsSampler {
 public:
  StatsSampler(boost::asio::io_context& ioc, Coordinator& coordinator, SampleRing& ring,
               std::chrono::milliseconds period);

  void Start();
  void Stop();
  std::chrono::milliseconds period() const { return period_; }

 private:
  boost::asio::awaitable<void> Loop();

  Coordinator& coordinator_;
  SampleRing& ring_;
  const std::chrono::milliseconds period_;
  boost::asio::steady_timer timer_;
};

}  // namespace gleaner::server
