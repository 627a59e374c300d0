#include "agent/owner/owner_guard.h"

#include <spdlog/spdlog.h>

#include <ctime>

#include "common/clock.h"

namespace gleaner::agent {

int LocalMinuteOfWeek(int64_t unix_ms) {
  std::time_t seconds = unix_ms / 1000;
  std::tm local{};
  ::localtime_r(&seconds, &local);
  return ((local.tm_wday + 6) % 7) * 24 * 60 + local.tm_hour * 60 + local.tm_min;
}

OwnerGuard::OwnerGuard(std::function<void()> on_change, Millis vacate_grace, ResourceCaps* caps)
    : on_change_(std::move(on_change)), vacate_grace_(vacate_grace), caps_(caps), window_(*api::WeekWindow::Parse("")) {
  if (caps_) caps_->Set(policy_.max_cpu_percent, policy_.max_memory);
}

void OwnerGuard::SetPolicy(const api::Policy& policy) {
  // The server validated it; a window this agent cannot read keeps the old policy.
  auto window = api::WeekWindow::Parse(policy.window);
  if (!window.ok()) {
    spdlog::warn("ignoring the server's policy: {}", window.error().message);
    return;
  }
  std::lock_guard lock(mu_);
  policy_ = policy;
  window_ = *window;
  if (caps_) caps_->Set(policy.max_cpu_percent, policy.max_memory);
}

void OwnerGuard::Observe(const OwnerView& owner) {
  bool changed;
  {
    std::lock_guard lock(mu_);
    owner_ = owner;
    Situation situation;
    situation.owner = owner;
    situation.now_ms = NowUnixMillis();
    situation.minute_of_week = LocalMinuteOfWeek(situation.now_ms);
    situation.suspended_since = suspended_since_;
    situation.tasks_running = !tracked_.empty() && !suspended_since_;
    Decision decision = Decide(policy_, window_, situation);
    changed = !decision_ || decision_->state != decision.state;
    if (changed) spdlog::info("owner policy: {} ({})", RunStateName(decision.state), decision.why);
    Apply(decision);
    decision_ = std::move(decision);
  }
  if (changed) on_change_();
}

void OwnerGuard::Apply(const Decision& decision) {
  if (decision.run) {
    for (auto& [id, t] : tracked_) {
      if (Status resumed = t.control->Resume(); !resumed.ok()) spdlog::warn("attempt {}: {}", id, resumed.message());
    }
    suspended_since_.reset();
    return;
  }
  for (auto& [id, t] : tracked_) {
    if (t.kill->request()) continue;  // ending: a vacated task keeps running through its grace
    if (Status suspended = t.control->Suspend(); !suspended.ok()) spdlog::warn("attempt {}: {}", id, suspended.message());
  }
  if (!tracked_.empty() && !suspended_since_) suspended_since_ = NowUnixMillis();
  if (!decision.vacate) return;
  for (auto& [id, t] : tracked_) {
    if (t.kill->request()) continue;
    spdlog::info("attempt {}: {}", id, decision.vacate_reason);
    // Running again, the task can act on the checkpoint signal (SIGTERM).
    (void)t.control->Resume();
    t.control->Note("vacated");
    t.kill->Pull(KillCause::kVacated, vacate_grace_, decision.vacate_reason);
  }
}

void OwnerGuard::Track(int64_t attempt_id, TaskControl& control, KillSwitch& kill) {
  std::lock_guard lock(mu_);
  tracked_[attempt_id] = Tracked{&control, &kill};
  if (caps_) caps_->Track(attempt_id, control);
  if (decision_ && !decision_->run) {
    (void)control.Suspend();
    if (!suspended_since_) suspended_since_ = NowUnixMillis();
  }
}

void OwnerGuard::Forget(int64_t attempt_id) {
  std::lock_guard lock(mu_);
  if (caps_) caps_->Forget(attempt_id);
  tracked_.erase(attempt_id);
  if (tracked_.empty()) suspended_since_.reset();
}

int64_t OwnerGuard::SlotsAllowed(int64_t slots) const {
  std::lock_guard lock(mu_);
  if (!decision_ || !decision_->run) return 0;
  return policy_.max_cpus > 0 ? std::min(slots, policy_.max_cpus) : slots;
}

int64_t OwnerGuard::MemoryOffered() const {
  std::lock_guard lock(mu_);
  return policy_.max_memory;
}

api::HostActivity OwnerGuard::Activity() const {
  std::lock_guard lock(mu_);
  api::HostActivity activity;
  if (owner_.active_now) activity.owner = "active";
  else if (owner_.sensed) activity.owner = "idle";
  activity.idle_since = owner_.active_now ? 0 : owner_.idle_since.value_or(0);
  if (decision_) {
    activity.run_state = RunStateName(decision_->state);
    activity.why = decision_->why;
  }
  if (std::string caps = caps_ ? caps_->Describe() : ""; !caps.empty()) {
    activity.why += activity.why.empty() ? caps : "; " + caps;
  }
  return activity;
}

}  // namespace gleaner::agent
