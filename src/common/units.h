// Human units at the user edge: durations ("90s", "5m", "2h", "1h30m") and
// sizes ("512M", "2G", "1048576"). Pure functions; parse errors say what is
// accepted.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace gleaner {

using Millis = std::chrono::milliseconds;

// Accepts one or more <number><unit> parts, unit one of ms, s, m, h, d.
Result<Millis> ParseDuration(const std::string& text);
// The shortest exact spelling: 1500ms, 90s, 5m, 2h, 1h30m, 2d.
std::string FormatDuration(Millis d);
// Rounds to whole seconds first (for tables): 0s, 42s, 5m3s, 1h2m.
std::string FormatDurationCoarse(Millis d);

// Accepts <number>[K|M|G|T][i][B], powers of 1024 (as `free -h` reads them).
Result<int64_t> ParseSize(const std::string& text);
// 0, 512B, 1.5K, 20M, 8.0G.
std::string FormatSize(int64_t bytes);

}  // namespace gleaner
