// CpuDutyCycle caps the CPU share of grid tasks where no cgroup cpu
// controller can (cgroup v1-only or hybrid hosts, no cgroups at all): of
// every 100 ms period the tracked tasks run `percent` ms and are paused
// (cgroup freezer or SIGSTOP, through TaskControl::Throttle) the rest, as
// BOINC's "use at most N% of CPU time" does. A task so capped uses at most
// `percent`% of the host's CPU time whatever its thread count. One thread of
// its own while some task is tracked and a cap is set; thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "agent/executor/task_control.h"

namespace gleaner::agent {

class CpuDutyCycle {
 public:
  static constexpr std::chrono::milliseconds kPeriod{100};

  CpuDutyCycle();
  ~CpuDutyCycle();  // unthrottles every tracked task, stops the thread
  CpuDutyCycle(const CpuDutyCycle&) = delete;
  CpuDutyCycle& operator=(const CpuDutyCycle&) = delete;

  // 1-99: run that many ms of every period; 0 or 100: no cap (tasks unthrottled).
  void SetPercent(int64_t percent);
  int64_t percent() const;
  // `control` must stay alive until Forget returns.
  void Track(int64_t attempt_id, TaskControl& control);
  void Forget(int64_t attempt_id);

 private:
  void Loop();
  void ThrottleAll(bool throttled);  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  std::condition_variable changed_;
  int64_t percent_ = 0;                       // guarded by mu_
  bool stop_ = false;                         // guarded by mu_
  std::map<int64_t, TaskControl*> tracked_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace gleaner::agent
