// ProcessDriver runs a task as a local process tree: its own session and
// process group (and its own cgroup v2, where the host allows, for freezing),
// idle CPU and I/O priority, rlimits (task_limits.h), the task user when the
// agent is root, a clean environment, stdout/stderr captured and capped. In
// bubblewrap mode the process it starts is bwrap (sandbox.h), run as the task
// user, so the task sees only the system read-only, its work dir and a private
// /tmp. Thread-safe; Run blocks and reaps every process of the task's group
// before returning.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "agent/executor/containment.h"
#include "agent/executor/posix/sandbox.h"
#include "agent/executor/task_driver.h"
#include "agent/executor/task_user.h"

namespace gleaner::agent {

enum class SandboxMode {
  kBubblewrap,   // every task inside bubblewrap
  kUnsandboxed,  // process group, user and rlimits only: the operator allowed it (--allow-unsandboxed)
  kRefuse,       // no sandbox and none allowed: every task is refused
};

struct SandboxConfig {
  SandboxMode mode = SandboxMode::kUnsandboxed;
  std::string bwrap = kDefaultBubblewrap;
  std::string why_none;  // for kUnsandboxed and kRefuse: why there is no sandbox
};

class ProcessDriver : public TaskDriver {
 public:
  // Makes this process a child subreaper (prctl), so processes a task forks and
  // orphans come back to us to be killed and reaped instead of to init. With
  // `containment` (a CgroupSubtree), each task gets a freezable cgroup;
  // without, it is suspended by stop signals to its process group. `slots`
  // sizes RLIMIT_NPROC.
  ProcessDriver(std::optional<TaskUser> task_user, std::unique_ptr<Containment> containment,
                SandboxConfig sandbox = {}, int64_t slots = 1);

  DriverCapabilities capabilities() const override;
  Result<TaskExit> Run(const TaskLaunch& launch, const KillSwitch& kill, TaskControl& control) override;

 private:
  const std::optional<TaskUser> task_user_;
  const std::unique_ptr<Containment> containment_;
  const SandboxConfig sandbox_;
  const int64_t slots_;
};

}  // namespace gleaner::agent
