// `gleaner server --log-format json`: every log line becomes one JSON object
// ({"time", "level", "msg"}) for log shippers. Call once at start, before
// other threads log.
#pragma once

#include <cstdint>
#include <string>

#include <spdlog/common.h>

namespace gleaner::server {

void UseJsonLines();

// One log line as JSON, without the newline: the formatter's pure part.
std::string JsonLogLine(int64_t unix_ms, spdlog::level::level_enum level, const std::string& message);

}  // namespace gleaner::server
