#include "agent/backoff.h"

#include <algorithm>

namespace gleaner::agent {

Backoff::Backoff(Millis first, Millis cap)
    : first_(first), cap_(cap), current_(first), random_(std::random_device{}()) {}

Millis Backoff::Next() {
  Millis ceiling = current_;
  current_ = std::min(cap_, current_ * 2);
  std::uniform_int_distribution<int64_t> jitter(ceiling.count() / 2, ceiling.count());
  return Millis(jitter(random_));
}

}  // namespace gleaner::agent
