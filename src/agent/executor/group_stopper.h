// GroupStopper pauses a task by SIGSTOP/SIGCONT to its process group: the
// fallback where no cgroup v2 is writable. Weaker than the freezer: a process
// that left the group is missed, and a task may SIGCONT itself.
#pragma once

#include <sys/types.h>

#include "agent/executor/pausable.h"

namespace gleaner::agent {

class GroupStopper : public Pausable {
 public:
  explicit GroupStopper(pid_t process_group) : process_group_(process_group) {}
  Status Pause() override;
  Status Unpause() override;

 private:
  const pid_t process_group_;
};

}  // namespace gleaner::agent
