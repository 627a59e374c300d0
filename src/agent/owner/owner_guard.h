// OwnerGuard applies the owner policy to the attempts this agent runs: on
// every OwnerView from the monitor's thread it decides (agent/policy.h) and
// suspends, resumes or vacates the tracked tasks directly, then tells the
// agent loop whether it may take work and what to report. It hands the
// policy's CPU and memory caps to ResourceCaps. Until its first decision it
// allows no work: an agent that has not yet looked at its owner must not take
// a task only to suspend it at once. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>

#include "agent/executor/kill_switch.h"
#include "agent/executor/resource_caps.h"
#include "agent/executor/task_control.h"
#include "agent/policy.h"

namespace gleaner::agent {

class OwnerGuard {
 public:
  // `on_change` runs (on the monitor's thread) when the run state changes,
  // so the loop reports it and asks for work without waiting a whole poll.
  // `caps` (may be null, e.g. in tests) outlives the guard.
  explicit OwnerGuard(std::function<void()> on_change, Millis vacate_grace = std::chrono::seconds(10),
                      ResourceCaps* caps = nullptr);

  // The policy in force, from the server; applied at the next observation.
  void SetPolicy(const api::Policy& policy);
  void Observe(const OwnerView& owner);

  // The attempt's task is suspended at once if work may not run now.
  void Track(int64_t attempt_id, TaskControl& control, KillSwitch& kill);
  void Forget(int64_t attempt_id);

  // Slots new work may use now, of `slots` (0 while work may not run, and
  // before the first observation).
  int64_t SlotsAllowed(int64_t slots) const;
  // Memory the agent offers tasks, for the scheduler: the policy's cap; 0 = no cap.
  int64_t MemoryOffered() const;
  api::HostActivity Activity() const;

 private:
  struct Tracked {
    TaskControl* control;
    KillSwitch* kill;
  };
  void Apply(const Decision& decision);

  const std::function<void()> on_change_;
  const Millis vacate_grace_;
  ResourceCaps* const caps_;

  mutable std::mutex mu_;
  api::Policy policy_;                       // guarded by mu_
  api::WeekWindow window_;                   // guarded by mu_; parsed from policy_
  std::map<int64_t, Tracked> tracked_;       // guarded by mu_
  std::optional<int64_t> suspended_since_;   // guarded by mu_
  std::optional<Decision> decision_;         // guarded by mu_; none before the first observation
  OwnerView owner_;                          // guarded by mu_
};

// Minutes since Monday 00:00 in local time: what policy windows are written in.
int LocalMinuteOfWeek(int64_t unix_ms);

}  // namespace gleaner::agent
