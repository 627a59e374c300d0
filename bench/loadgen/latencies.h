// Round-trip latencies of one run, summarised as percentiles. Not thread-safe
// (the load generator is one thread).
#pragma once

#include <algorithm>
#include <vector>

namespace gleaner::bench {

class Latencies {
 public:
  void Add(double ms) { ms_.push_back(ms); }
  size_t count() const { return ms_.size(); }
  // The p-quantile (0..1) in ms; 0 when nothing was recorded.
  double Percentile(double p) {
    if (ms_.empty()) return 0;
    std::sort(ms_.begin(), ms_.end());
    return ms_[std::min(ms_.size() - 1, static_cast<size_t>(p * static_cast<double>(ms_.size())))];
  }

 private:
  std::vector<double> ms_;
};

}  // namespace gleaner::bench
