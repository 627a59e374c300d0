#include "agent/executor/cpu_duty_cycle.h"

#include <spdlog/spdlog.h>

namespace gleaner::agent {

using Clock = std::chrono::steady_clock;

CpuDutyCycle::CpuDutyCycle() : thread_([this] { Loop(); }) {}

CpuDutyCycle::~CpuDutyCycle() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    ThrottleAll(false);
  }
  changed_.notify_all();
  thread_.join();
}

void CpuDutyCycle::SetPercent(int64_t percent) {
  {
    std::lock_guard lock(mu_);
    percent_ = percent > 0 && percent < 100 ? percent : 0;
    if (percent_ == 0) ThrottleAll(false);
  }
  changed_.notify_all();
}

int64_t CpuDutyCycle::percent() const {
  std::lock_guard lock(mu_);
  return percent_;
}

void CpuDutyCycle::Track(int64_t attempt_id, TaskControl& control) {
  {
    std::lock_guard lock(mu_);
    tracked_[attempt_id] = &control;
  }
  changed_.notify_all();
}

void CpuDutyCycle::Forget(int64_t attempt_id) {
  std::lock_guard lock(mu_);
  auto it = tracked_.find(attempt_id);
  if (it == tracked_.end()) return;
  (void)it->second->Throttle(false);
  tracked_.erase(it);
}

void CpuDutyCycle::ThrottleAll(bool throttled) {
  for (auto& [id, control] : tracked_) {
    if (Status s = control->Throttle(throttled); !s.ok()) spdlog::warn("attempt {}: CPU duty cycle: {}", id, s.message());
  }
}

void CpuDutyCycle::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return stop_ || (percent_ > 0 && !tracked_.empty()); });
    if (stop_) return;
    // Deadlines from the period's start, so time spent pausing and resuming
    // does not stretch the period.
    auto start = Clock::now();
    auto run_until = start + percent_ * kPeriod / 100;
    changed_.wait_until(lock, run_until, [&] { return stop_ || percent_ == 0; });
    if (stop_ || percent_ == 0) continue;
    ThrottleAll(true);
    changed_.wait_until(lock, start + kPeriod, [&] { return stop_ || percent_ == 0; });
    ThrottleAll(false);
  }
}

}  // namespace gleaner::agent
