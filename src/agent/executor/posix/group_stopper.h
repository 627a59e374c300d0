// GroupStopper pauses a task by SIGSTOP/SIGCONT to its process group, and to
// the processes that left the group but carry the task's marker
// (task_processes.h): the fallback where no cgroup v2 is writable. Weaker
// than the freezer: a task may SIGCONT itself, and a detached process that
// cleared its environment is missed.
#pragma once

#include <sys/types.h>

#include <string>

#include "agent/executor/pausable.h"

namespace gleaner::agent {

class GroupStopper : public Pausable {
 public:
  // `marker`: TaskMarker(launch.env); "" reaches the group only.
  explicit GroupStopper(pid_t process_group, std::string marker = "")
      : process_group_(process_group), marker_(std::move(marker)) {}
  Status Pause() override;
  Status Unpause() override;

 private:
  const pid_t process_group_;
  const std::string marker_;
};

}  // namespace gleaner::agent
