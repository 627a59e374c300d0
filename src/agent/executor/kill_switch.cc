#include "agent/executor/kill_switch.h"

#include <sys/eventfd.h>

#include <cerrno>
#include <cstring>

namespace gleaner::agent {

Result<std::unique_ptr<KillSwitch>> KillSwitch::Create() {
  UniqueFd event(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!event.valid()) return Internal(std::string("cannot create an eventfd: ") + std::strerror(errno));
  return std::unique_ptr<KillSwitch>(new KillSwitch(std::move(event)));
}

void KillSwitch::Pull(KillCause cause, Millis grace, std::string why) {
  {
    std::lock_guard lock(mu_);
    if (request_) return;
    request_ = KillRequest{cause, grace, std::move(why)};
  }
  uint64_t one = 1;
  // The counter is never read, so the fd stays readable for every later poll.
  [[maybe_unused]] ssize_t n = ::write(event_.get(), &one, sizeof one);
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
