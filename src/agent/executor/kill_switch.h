// A KillSwitch asks one running attempt to end: the server cancelled it, the
// owner guard vacated it, or the agent is stopping. Thread-safe: the agent loop pulls it, the attempt's thread
// waits on wait_handle() while its task runs and on WaitFor between upload retries.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "agent/executor/waitable_event.h"
#include "common/status.h"
#include "common/units.h"

namespace gleaner::agent {

enum class KillCause { kCancelled, kVacated, kAgentStopping };

struct KillRequest {
  KillCause cause;
  Millis grace;     // between SIGTERM and SIGKILL
  std::string why;  // the completion's reason; empty: KillCauseText(cause)
  std::string Words() const;
};

class KillSwitch {
 public:
  static Result<std::unique_ptr<KillSwitch>> Create();

  // The first pull wins; later pulls are ignored.
  void Pull(KillCause cause, Millis grace, std::string why = "");
  std::optional<KillRequest> request() const;
  // Becomes signalled (and stays so) once pulled; for the driver's wait.
  WaitHandle wait_handle() const { return event_->handle(); }
  // Sleeps up to `d`; true when pulled (at once if already pulled).
  bool WaitFor(Millis d) const;

 private:
  explicit KillSwitch(std::unique_ptr<WaitableEvent> event) : event_(std::move(event)) {}

  const std::unique_ptr<WaitableEvent> event_;
  mutable std::mutex mu_;
  mutable std::condition_variable pulled_;
  std::optional<KillRequest> request_;  // guarded by mu_
};

// "cancelled", "vacated" or "agent stopped": the words a completion carries.
const char* KillCauseText(KillCause cause);

}  // namespace gleaner::agent
