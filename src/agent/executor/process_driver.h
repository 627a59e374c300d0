// ProcessDriver runs a task as a plain process: its own process group, idle CPU
// and I/O priority, the task user when the agent is root, a clean environment,
// stdout/stderr captured and capped. Thread-safe; Run blocks and reaps every
// process of the task's group before returning.
#pragma once

#include <optional>

#include "agent/executor/task_driver.h"
#include "agent/executor/task_user.h"

namespace gleaner::agent {

class ProcessDriver : public TaskDriver {
 public:
  // Makes this process a child subreaper (prctl), so processes a task forks and
  // orphans come back to us to be killed and reaped instead of to init.
  explicit ProcessDriver(std::optional<TaskUser> task_user);

  DriverCapabilities capabilities() const override;
  Result<TaskExit> Run(const TaskLaunch& launch, const KillSwitch& kill) override;

 private:
  const std::optional<TaskUser> task_user_;
};

}  // namespace gleaner::agent
