#include "cli/owner_state.h"

#include "cli/display.h"

namespace gleaner::cli {

std::string OwnerText(const api::HostView& host, int64_t now_ms) {
  if (!host.activity) return "-";
  const api::HostActivity& a = *host.activity;
  if (a.owner == "idle" && a.idle_since > 0) return "idle " + Age(a.idle_since, now_ms);
  return a.owner;
}

std::string RunStateText(const api::HostView& host) {
  if (host.revoked_at != 0) return "revoked";
  if (!host.online) return "offline";
  if (host.quarantined) return "quarantined";
  if (!host.activity || host.activity->run_state.empty()) return "-";
  return host.activity->run_state;
}

std::string WhyText(const api::HostView& host, int64_t now_ms) {
  if (host.revoked_at != 0) {
    return "revoked by an admin " + Age(host.revoked_at, now_ms) +
           " ago: its agent is refused; enrol it again with a new join token";
  }
  if (!host.online) {
    return host.last_seen == 0 ? "offline: its agent has never reported"
                               : "offline: its agent last reported " + Age(host.last_seen, now_ms) + " ago";
  }
  if (host.quarantined) return "quarantined: " + host.quarantine_reason;
  if (!host.activity || host.activity->why.empty()) return "its agent has not reported its owner's state yet";
  return host.activity->why;
}

}  // namespace gleaner::cli
