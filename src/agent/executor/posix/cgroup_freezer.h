// CgroupFreezer is one task's cgroup v2 directory: the task's first process
// joins it before exec (through procs_fd()), so everything it forks is inside.
// Pause freezes the whole cgroup (every descendant; a task cannot undo it with
// SIGCONT). Destruction kills whatever is left and removes the directory.
// Pause/Unpause are safe from another thread than the one that owns it.
#pragma once

#include <memory>
#include <string>

#include "agent/executor/containment.h"
#include "agent/executor/unique_fd.h"

namespace gleaner::agent {

class CgroupFreezer : public TaskContainer {
 public:
  // Makes the directory `path` (its parent must exist).
  static Result<std::unique_ptr<CgroupFreezer>> Create(std::string path);
  ~CgroupFreezer() override;

  // cgroup.procs, open for writing: a child writes "0" to it to move itself in.
  int procs_fd() const { return procs_.get(); }
  std::intptr_t native_handle() const override { return procs_fd(); }
  Status Pause() override;
  Status Unpause() override;

 private:
  CgroupFreezer(std::string path, UniqueFd procs, UniqueFd freeze, UniqueFd events)
      : path_(std::move(path)), procs_(std::move(procs)), freeze_(std::move(freeze)), events_(std::move(events)) {}
  bool EventSays(const char* line) const;
  void KillAll() const;

  const std::string path_;
  const UniqueFd procs_, freeze_, events_;
};

}  // namespace gleaner::agent
