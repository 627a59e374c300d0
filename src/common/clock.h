// Wall-clock time for records shown to people. Scheduling logic takes `now` as
// a parameter instead, so it stays pure and testable.
#pragma once

#include <cstdint>
#include <string>

namespace gleaner {

// Milliseconds since the Unix epoch.
int64_t NowUnixMillis();
// "2026-11-28 23:56:07 UTC", for messages; `format` as for strftime.
std::string FormatUtc(int64_t unix_ms, const char* format = "%Y-%m-%d %H:%M:%S UTC");

}  // namespace gleaner
