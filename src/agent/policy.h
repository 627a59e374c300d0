// The owner policy as a pure function: from what the owner monitor sees, the
// clock and the policy in force, decide whether grid work runs, is suspended
// or is vacated, and say why in words. No I/O and no clock of its own, so
// table tests cover it; OwnerGuard applies its decisions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/policy_spec.h"
#include "api/types.h"

namespace gleaner::agent {

// What the activity sources saw, combined (owner/owner_monitor.h).
struct OwnerView {
  bool sensed = false;                // some source can see the owner at all
  bool active_now = false;            // input this very moment, an idle inhibitor, or the activity file says so
  std::optional<int64_t> idle_since;  // Unix ms of the owner's latest activity
  std::optional<double> non_grid_load;  // CPU share (0-1) of everything that is not grid work
  bool on_battery = false;
};

struct Situation {
  OwnerView owner;
  int64_t now_ms = 0;
  int minute_of_week = 0;                    // local time; Monday 00:00 = 0
  bool tasks_running = false;                // some task is running, not suspended
  std::optional<int64_t> suspended_since;    // when the tasks now suspended were suspended
};

enum class RunState { kRunning, kSuspended, kVacating, kWaitingForIdle, kOutsideWindow, kOnBattery };
// "running", "suspended", "vacating", "waiting for idle", "outside window", "on battery".
const char* RunStateName(RunState state);

struct Decision {
  RunState state = RunState::kRunning;
  bool run = true;       // tasks may run and new work may start; otherwise suspend what runs
  bool vacate = false;   // checkpoint signal, grace, kill: suspended too long
  int64_t max_cpus = 0;  // 0: all slots
  std::string why;       // "owner active 12s ago; starts after 5m idle"
  std::string vacate_reason;  // "vacated: owner active for 10m", when vacating
};

// Once work is suspended for non-grid load, it resumes only when the load is
// below this share of max_load, so a load hovering at the limit does not
// flap work between running and suspended.
inline constexpr double kLoadResumeFraction = 0.8;

Decision Decide(const api::Policy& policy, const api::WeekWindow& window, const Situation& situation);

}  // namespace gleaner::agent
