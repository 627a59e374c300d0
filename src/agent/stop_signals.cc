#include "agent/stop_signals.h"

#include <spdlog/spdlog.h>

#include "common/signal_names.h"

namespace gleaner::agent {

StopSignals::StopSignals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

bool StopSignals::WaitFor(std::chrono::milliseconds d) {
  if (received_) return true;
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(d);
  timespec timeout{secs.count(), std::chrono::duration_cast<std::chrono::nanoseconds>(d - secs).count()};
  int sig = ::sigtimedwait(&set_, nullptr, &timeout);
  if (sig > 0) {
    spdlog::info("{} received: stopping", SignalName(sig));
    received_ = true;
  }
  return received_;
}

}  // namespace gleaner::agent
