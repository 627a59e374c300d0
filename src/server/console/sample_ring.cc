#include "server/console/sample_ring.h"

namespace gleaner::server {

void SampleRing::Add(const api::StatsSample& sample) {
  std::lock_guard lock(mu_);
  samples_.push_back(sample);
  while (samples_.size() > capacity_) samples_.pop_front();
}

std::vector<api::StatsSample> SampleRing::Samples() const {
  std::lock_guard lock(mu_);
  return {samples_.begin(), samples_.end()};
}

}  // namespace gleaner::server
