// Wall-clock time for records shown to people. Scheduling logic takes `now` as
// a parameter instead, so it stays pure and testable.
#pragma once

#include <cstdint>

namespace gleaner {

// Milliseconds since the Unix epoch.
int64_t NowUnixMillis();

}  // namespace gleaner
