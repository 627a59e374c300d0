// How the CLI spells a host's owner and run state (`gleaner hosts`, `gleaner
// host`): pure functions of the host view and the time, shared by both.
#pragma once

#include <cstdint>
#include <string>

#include "api/types.h"

namespace gleaner::cli {

// "active", "idle 5m", "unknown", or "-" when the host has not said.
std::string OwnerText(const api::HostView& host, int64_t now_ms);
// "running", "suspended", ..., "offline" or "quarantined".
std::string RunStateText(const api::HostView& host);
// Why the host runs work or not, in words.
std::string WhyText(const api::HostView& host, int64_t now_ms);

}  // namespace gleaner::cli
