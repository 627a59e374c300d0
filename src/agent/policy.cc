#include "agent/policy.h"

#include <cstdio>

#include "common/units.h"

namespace gleaner::agent {
namespace {

// Why work may not run now: a short name for the vacate reason, and the
// sentence `gleaner host --why` shows.
struct Blocker {
  RunState state;
  std::string name;
  std::string why;
};

std::string Share(double load) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", load);
  return text;
}

std::string Ago(int64_t ms) { return FormatDurationCoarse(Millis(std::max<int64_t>(ms, 0))); }

std::optional<Blocker> FindBlocker(const api::Policy& policy, const api::WeekWindow& window, const Situation& s) {
  if (s.owner.on_battery && !policy.on_battery) {
    return Blocker{RunState::kOnBattery, "on battery", "on battery; work runs on mains power only"};
  }
  if (!window.OpenAt(s.minute_of_week)) {
    auto opens = window.NextOpening(s.minute_of_week);
    std::string when = opens ? "; opens " + api::FormatMinuteOfWeek(*opens) : "";
    return Blocker{RunState::kOutsideWindow, "outside window", "outside the window '" + policy.window + "'" + when};
  }
  std::string starts = "starts after " + FormatDurationCoarse(Millis(policy.start_after_ms)) + " idle";
  if (s.owner.active_now) return Blocker{RunState::kWaitingForIdle, "owner active", "owner active now; " + starts};
  if (s.owner.idle_since && s.now_ms - *s.owner.idle_since < policy.start_after_ms) {
    return Blocker{RunState::kWaitingForIdle, "owner active",
                   "owner active " + Ago(s.now_ms - *s.owner.idle_since) + " ago; " + starts};
  }
  if (policy.max_load && s.owner.non_grid_load) {
    double limit = s.tasks_running ? *policy.max_load : *policy.max_load * kLoadResumeFraction;
    if (*s.owner.non_grid_load > limit) {
      return Blocker{RunState::kWaitingForIdle, "non-grid load high",
                     "non-grid load " + Share(*s.owner.non_grid_load) + " above " + Share(limit)};
    }
  }
  return std::nullopt;
}

}  // namespace

const char* RunStateName(RunState state) {
  switch (state) {
    case RunState::kRunning: return "running";
    case RunState::kSuspended: return "suspended";
    case RunState::kVacating: return "vacating";
    case RunState::kWaitingForIdle: return "waiting for idle";
    case RunState::kOutsideWindow: return "outside window";
    case RunState::kOnBattery: return "on battery";
  }
  return "unknown";
}

Decision Decide(const api::Policy& policy, const api::WeekWindow& window, const Situation& s) {
  Decision d;
  d.max_cpus = policy.max_cpus;
  auto blocker = FindBlocker(policy, window, s);
  if (!blocker) {
    d.why = !s.owner.sensed        ? "no owner activity can be sensed here; work runs"
            : s.owner.idle_since ? "owner idle for " + Ago(s.now_ms - *s.owner.idle_since) + "; work runs"
                                 : "owner idle; work runs";
    return d;
  }
  d.run = false;
  d.state = blocker->state;
  d.why = blocker->why;
  if (s.suspended_since) {
    int64_t suspended_for = s.now_ms - *s.suspended_since;
    if (suspended_for >= policy.vacate_after_ms) {
      d.state = RunState::kVacating;
      d.vacate = true;
      d.vacate_reason = "vacated: " + blocker->name + " for " + Ago(suspended_for);
      d.why += "; suspended " + Ago(suspended_for) + ", so vacating";
    } else {
      d.state = RunState::kSuspended;
      d.why += "; suspended " + Ago(suspended_for) + ", vacates after " +
               FormatDurationCoarse(Millis(policy.vacate_after_ms));
    }
  } else if (s.tasks_running) {
    d.state = RunState::kSuspended;
    d.why += "; suspending";
  }
  return d;
}

}  // namespace gleaner::agent
