#include "agent/executor/kill_switch.h"

namespace gleaner::agent {

Result<std::unique_ptr<KillSwitch>> KillSwitch::Create() {
  auto event = WaitableEvent::Create();
  if (!event.ok()) return event.error();
  return std::unique_ptr<KillSwitch>(new KillSwitch(std::move(*event)));
}

void KillSwitch::Pull(KillCause cause, Millis grace, std::string why) {
  {
    std::lock_guard lock(mu_);
    if (request_) return;
    request_ = KillRequest{cause, grace, std::move(why)};
  }
  event_->Set();  // stays set for every later wait
  pulled_.notify_all();
}

std::optional<KillRequest> KillSwitch::request() const {
  std::lock_guard lock(mu_);
  return request_;
}

bool KillSwitch::WaitFor(Millis d) const {
  std::unique_lock lock(mu_);
  return pulled_.wait_for(lock, d, [&] { return request_.has_value(); });
}

std::string KillRequest::Words() const { return why.empty() ? KillCauseText(cause) : why; }

const char* KillCauseText(KillCause cause) {
  switch (cause) {
    case KillCause::kCancelled: return "cancelled";
    case KillCause::kVacated: return "vacated";
    case KillCause::kAgentStopping: return "agent stopped";
  }
  return "killed";
}

}  // namespace gleaner::agent
