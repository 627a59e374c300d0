// What a thread of the agent can wait on, whatever the platform: a WaitHandle
// names it (on POSIX a file descriptor for poll(2), on Windows a HANDLE for
// WaitForMultipleObjects), a WaitableEvent is one the agent sets itself, and
// WaitForAny waits for the first of several. Only platform code (posix/,
// windows/) looks inside a handle. A WaitableEvent is thread-safe; Set() may
// be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "common/status.h"
#include "common/units.h"

namespace gleaner::agent {

struct WaitHandle {
  std::intptr_t native = -1;  // a POSIX fd or a Windows HANDLE; -1: none
  bool valid() const { return native != -1; }
};

// A manual-reset event: once set it stays set (becomes and stays signalled).
class WaitableEvent {
 public:
  static Result<std::unique_ptr<WaitableEvent>> Create();
  ~WaitableEvent();
  WaitableEvent(const WaitableEvent&) = delete;
  WaitableEvent& operator=(const WaitableEvent&) = delete;

  void Set();
  WaitHandle handle() const { return handle_; }

 private:
  explicit WaitableEvent(WaitHandle handle) : handle_(handle) {}
  const WaitHandle handle_;
};

// Waits up to `timeout` (negative: without end) until one of `handles` is
// signalled, and returns the lowest index of those that are; nullopt when the
// time ran out first. Invalid handles are never signalled.
std::optional<size_t> WaitForAny(std::span<const WaitHandle> handles, Millis timeout);

}  // namespace gleaner::agent
