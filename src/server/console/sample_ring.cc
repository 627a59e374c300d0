#include "server/console/sample_ring.h"

#include <algorithm>
#include <iterator>

namespace gleaner::server {

void SampleRing::Add(const api::StatsSample& sample) {
  std::lock_guard lock(mu_);
  samples_.push_back(sample);
  while (samples_.size() > capacity_) samples_.pop_front();
}

std::vector<api::StatsSample> SampleRing::Samples(int64_t after) const {
  std::lock_guard lock(mu_);
  std::vector<api::StatsSample> out;
  // A filter, not a search from the back: `at` is wall-clock time, which may
  // step backwards, so the ring is not guaranteed to be sorted by it.
  std::copy_if(samples_.begin(), samples_.end(), std::back_inserter(out),
               [after](const api::StatsSample& s) { return s.at > after; });
  return out;
}

}  // namespace gleaner::server
