// CpuLoadSource measures the CPU share of all cores used by everything that is
// not grid work, from /proc. Grid work is whatever runs under SCHED_IDLE: the
// agent starts every task so, and other SCHED_IDLE work is background too,
// never the owner's. Sampled at most every kSampleEveryMs — a scan of /proc
// costs far more than the rest of an idle agent — and averaged over the last
// few samples.
#pragma once

#include <deque>
#include <memory>

#include "agent/owner/activity_source.h"

namespace gleaner::agent {

class CpuLoadSource : public ActivitySource {
 public:
  std::string name() const override { return "non-grid CPU load (/proc)"; }
  Result<ActivityReading> Read(int64_t now_ms) override;

 private:
  struct Sample {
    int64_t total = 0;  // jiffies of all CPUs, busy and idle
    int64_t busy = 0;   // jiffies not idle, of every process
    int64_t grid = 0;   // jiffies of SCHED_IDLE processes
  };
  std::deque<Sample> samples_;
  int64_t sampled_at_ms_ = 0;
  ActivityReading last_reading_;
};

}  // namespace gleaner::agent
