// WaitableEvent as an eventfd whose counter is never read, so it stays
// readable once set; WaitForAny as poll(2).
#include "agent/executor/waitable_event.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace gleaner::agent {

Result<std::unique_ptr<WaitableEvent>> WaitableEvent::Create() {
  int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) return Internal(std::string("cannot create an eventfd: ") + std::strerror(errno));
  return std::unique_ptr<WaitableEvent>(new WaitableEvent(WaitHandle{fd}));
}

WaitableEvent::~WaitableEvent() { ::close(static_cast<int>(handle_.native)); }

void WaitableEvent::Set() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(static_cast<int>(handle_.native), &one, sizeof one);
}

std::optional<size_t> WaitForAny(std::span<const WaitHandle> handles, Millis timeout) {
  std::vector<pollfd> fds;
  fds.reserve(handles.size());
  for (const WaitHandle& h : handles) fds.push_back({static_cast<int>(h.native), POLLIN, 0});  // fd -1 is ignored
  int timeout_ms = timeout.count() < 0 ? -1 : static_cast<int>(timeout.count());
  if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return std::nullopt;
  for (size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].revents != 0) return i;
  }
  return std::nullopt;
}

}  // namespace gleaner::agent
