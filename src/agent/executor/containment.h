// Containment holds all grid tasks of this host together, each in a
// TaskContainer of its own that every process the task starts stays inside:
// on Linux a cgroup v2 subtree with a cgroup per task (posix/cgroup_subtree.h),
// on Windows a job object per task (Job Objects). Through it the policy caps
// CPU and memory on all tasks at once (resource_caps.h), and a task's
// container pauses every process of it at once. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>

#include "agent/executor/pausable.h"
#include "common/status.h"

namespace gleaner::agent {

class TaskContainer : public Pausable {
 public:
  // The platform's handle that the same platform's driver puts the task's
  // first process into: on Linux an open cgroup.procs the child writes "0" to
  // before exec; on Windows the job's HANDLE (AssignProcessToJobObject on a
  // process created suspended). Destroying the container kills what is left.
  virtual std::intptr_t native_handle() const = 0;
};

class Containment {
 public:
  virtual ~Containment() = default;

  virtual Result<std::unique_ptr<TaskContainer>> NewTaskContainer() = 0;

  // Whether caps on all tasks together can be set here.
  virtual bool can_cap_cpu() const = 0;
  virtual bool can_cap_memory() const = 0;
  // All tasks together get at most `percent` of `cores` CPUs' time; 0 or 100: no cap.
  virtual Status SetCpuMax(int64_t percent, int64_t cores) = 0;
  // All tasks together use at most `bytes` of memory; 0: no cap.
  virtual Status SetMemoryMax(int64_t bytes) = 0;
};

}  // namespace gleaner::agent
