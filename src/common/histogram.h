// Histogram: counts of observations in fixed buckets plus their sum, as
// Prometheus histograms expose them. A plain value: not thread-safe; the
// owner guards it (e.g. the committer's stats lock).
#pragma once

#include <cstdint>
#include <vector>

namespace gleaner {

class Histogram {
 public:
  // `bounds` are the buckets' inclusive upper bounds, ascending; a last
  // bucket (+Inf) is implied.
  explicit Histogram(std::vector<double> bounds);

  void Observe(double value);

  const std::vector<double>& bounds() const { return bounds_; }
  // Per bucket, not cumulative; one more entry than bounds() (the +Inf bucket).
  const std::vector<int64_t>& counts() const { return counts_; }
  int64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::vector<double> bounds_;
  std::vector<int64_t> counts_;
  int64_t count_ = 0;
  double sum_ = 0;
};

// Bucket bounds for durations in seconds, 0.5 ms to 10 s.
std::vector<double> LatencyBuckets();

}  // namespace gleaner
