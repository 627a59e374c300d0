// Backoff yields the delays between retries while the server is away: 0.5s
// doubling up to 30s, each drawn at random from [d/2, d] so agents that lost
// the server together do not return together. Not thread-safe; one per loop.
#pragma once

#include <random>

#include "common/units.h"

namespace gleaner::agent {

class Backoff {
 public:
  Backoff(Millis first = Millis(500), Millis cap = Millis(30'000));

  Millis Next();
  void Reset() { current_ = first_; }

 private:
  const Millis first_, cap_;
  Millis current_;
  std::minstd_rand random_;
};

}  // namespace gleaner::agent
