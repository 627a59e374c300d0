// A TaskControl suspends and resumes one attempt's task from any thread (the
// owner guard) while the driver runs it on the attempt's thread. It keeps the
// wanted state, so a suspend that comes before the task has started applies
// as soon as the driver attaches it, and it logs every change as an event for
// the task's history. Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "agent/executor/pausable.h"
#include "api/types.h"

namespace gleaner::agent {

class TaskControl {
 public:
  explicit TaskControl(int64_t attempt_id) : attempt_id_(attempt_id) {}

  // Returns once every process of the task is stopped (or not yet started).
  Status Suspend();
  Status Resume();
  bool suspended() const;
  // Adds an event of the owner's making, e.g. "vacated", to the history.
  void Note(const std::string& what);
  std::vector<api::AttemptEvent> events() const;

  // Driver side: from attaching until detaching, Suspend/Resume act on `task`.
  Status Attach(Pausable& task);
  void Detach();

 private:
  Status Set(bool suspend);

  const int64_t attempt_id_;
  mutable std::mutex mu_;
  Pausable* task_ = nullptr;  // guarded by mu_
  bool suspended_ = false;    // guarded by mu_
  std::vector<api::AttemptEvent> events_;  // guarded by mu_
};

}  // namespace gleaner::agent
