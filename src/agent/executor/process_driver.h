// ProcessDriver runs a task as a plain process: its own process group (and its
// own cgroup v2, where the host allows, for freezing), idle CPU and I/O
// priority, the task user when the agent is root, a clean environment,
// stdout/stderr captured and capped. Thread-safe; Run blocks and reaps every
// process of the task's group before returning.
#pragma once

#include <memory>
#include <optional>

#include "agent/executor/task_driver.h"
#include "agent/executor/cgroup_subtree.h"
#include "agent/executor/task_user.h"

namespace gleaner::agent {

class ProcessDriver : public TaskDriver {
 public:
  // Makes this process a child subreaper (prctl), so processes a task forks and
  // orphans come back to us to be killed and reaped instead of to init. With
  // `cgroups`, each task gets a freezable cgroup; without, it is suspended by
  // stop signals to its process group.
  ProcessDriver(std::optional<TaskUser> task_user, std::unique_ptr<CgroupSubtree> cgroups);

  DriverCapabilities capabilities() const override;
  Result<TaskExit> Run(const TaskLaunch& launch, const KillSwitch& kill, TaskControl& control) override;

 private:
  const std::optional<TaskUser> task_user_;
  const std::unique_ptr<CgroupSubtree> cgroups_;
};

}  // namespace gleaner::agent
