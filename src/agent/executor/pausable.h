// A Pausable stops and restarts every process of one running task: a cgroup
// freezer (CgroupFreezer) or stop signals to its process group (GroupStopper).
// Called from the owner guard's thread while the task runs on its own.
#pragma once

#include "common/status.h"

namespace gleaner::agent {

class Pausable {
 public:
  virtual ~Pausable() = default;
  // Returns once no process of the task can run any more.
  virtual Status Pause() = 0;
  virtual Status Unpause() = 0;
};

}  // namespace gleaner::agent
