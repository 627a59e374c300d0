// A TaskControl suspends and resumes one attempt's task from any thread (the
// owner guard, the CPU duty cycle) while the driver runs it on the attempt's
// thread. It keeps the wanted state, so a suspend that comes before the task
// has started applies as soon as the driver attaches it; it logs every owner
// suspension as an event for the task's history and adds up the time the
// owner kept the task suspended, which the task's timeout does not count.
// The task is paused while the owner suspends it or the duty cycle throttles
// it; throttling is not history. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/executor/pausable.h"
#include "api/types.h"

namespace gleaner::agent {

class TaskControl {
 public:
  using Clock = std::chrono::steady_clock;

  explicit TaskControl(int64_t attempt_id) : attempt_id_(attempt_id) {}

  // Returns once every process of the task is stopped (or not yet started).
  Status Suspend();
  Status Resume();
  bool suspended() const;
  // The CPU duty cycle (cpu_duty_cycle.h): paused while throttled, unless the
  // owner has it suspended anyway.
  Status Throttle(bool throttled);
  // How long the owner has kept the task suspended in all, up to `now`.
  std::chrono::milliseconds SuspendedTotal(Clock::time_point now = Clock::now()) const;
  // Adds an event of the owner's making, e.g. "vacated", to the history.
  void Note(const std::string& what);
  std::vector<api::AttemptEvent> events() const;

  // Bytes of address space each process of the task may map (RLIMIT_AS), the
  // memory cap's fallback where no cgroup memory controller is available; 0 = none.
  // Set before the driver starts the task.
  void set_address_space_limit(int64_t bytes);
  int64_t address_space_limit() const;

  // Driver side: from attaching until detaching, Suspend/Resume act on `task`.
  Status Attach(Pausable& task);
  void Detach();

 private:
  // Pauses or unpauses the task when the combined wanted state changes.
  Status Update(bool suspend, bool throttle);

  const int64_t attempt_id_;
  mutable std::mutex mu_;
  Pausable* task_ = nullptr;       // guarded by mu_
  bool suspended_ = false;         // guarded by mu_; by the owner
  bool throttled_ = false;         // guarded by mu_; by the duty cycle
  std::optional<Clock::time_point> suspended_at_;  // guarded by mu_
  std::chrono::milliseconds suspended_before_{0};  // guarded by mu_; finished suspensions
  int64_t address_space_limit_ = 0;                // guarded by mu_
  std::vector<api::AttemptEvent> events_;          // guarded by mu_
};

}  // namespace gleaner::agent
