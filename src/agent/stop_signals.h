// StopSignals turns SIGINT and SIGTERM into a graceful stop. Construct it on
// the main thread before any other thread starts: it blocks the two signals,
// so threads created later inherit the mask and only sigtimedwait sees them.
// Not thread-safe; use from the thread that created it.
#pragma once

#include <chrono>
#include <csignal>

namespace gleaner::agent {

class StopSignals {
 public:
  StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Sleeps up to `d`; true once a stop signal has arrived.
  bool WaitFor(std::chrono::milliseconds d);
  bool received() const { return received_; }

 private:
  sigset_t set_;
  bool received_ = false;
};

}  // namespace gleaner::agent
