// How the CLI spells values for people: ages, local times, task counts and
// command lines. Pure functions (times are passed in), shared by every command
// so the same value always reads the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/types.h"

namespace gleaner::cli {

// Coarse time between two Unix-millisecond instants: "42s", "5m3s", "2h".
std::string Age(int64_t since_ms, int64_t now_ms);
// "2026-11-28 21:10:03" in the local time zone, or "-" for 0 (not yet).
std::string LocalTime(int64_t unix_ms);
// "40/64 done · 2 running · 0 failed", plus " · 3 cancelled" when any were.
std::string CountsText(const api::TaskCounts& counts, int64_t total);
// The command as a POSIX shell would need it typed: arguments quoted only when needed.
std::string ShellLine(const std::vector<std::string>& argv);

}  // namespace gleaner::cli
