// SampleRing: the last N samples of the grid, oldest first, for the
// console's charts over time (queue depth, completions per minute).
// Thread-safe: the sampler adds while request threads read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <mutex>
#include <vector>

#include "api/types.h"

namespace gleaner::server {

class SampleRing {
 public:
  explicit SampleRing(size_t capacity) : capacity_(capacity) {}

  // Drops the oldest sample once full.
  void Add(const api::StatsSample& sample);
  // The samples taken after `after` (`at` > after, Unix ms), oldest first;
  // all of them by default. A poller passes the last `at` it holds.
  std::vector<api::StatsSample> Samples(int64_t after = std::numeric_limits<int64_t>::min()) const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::deque<api::StatsSample> samples_;  // guarded by mu_
};

}  // namespace gleaner::server
