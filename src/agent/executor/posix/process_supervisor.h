// SuperviseTask watches one started task, a local process group, until its
// main process has exited and its output is drained: it enforces the timeout
// (not counting time suspended by the owner) and the kill switch (SIGTERM to
// the group, grace, SIGKILL), kills the whole group and whatever left it
// (task_processes.h) once the main process is gone, reaps them and says how
// the task ended.
// Blocking, one call per task; any driver whose task is a process group (plain
// or inside bubblewrap) can use it.
#pragma once

#include <sys/types.h>

#include "agent/executor/kill_switch.h"
#include "agent/executor/output_capture.h"
#include "agent/executor/task_driver.h"
#include "agent/executor/unique_fd.h"

namespace gleaner::agent {

struct StartedTask {
  pid_t pid;  // leader of its own process group, not yet reaped
  UniqueFd pidfd;
  UniqueFd stdout_pipe, stderr_pipe;  // read ends
  OutputCapture stdout_capture, stderr_capture;
};

// With `control`, the timeout leaves out the time the owner kept the task
// suspended (TaskControl::SuspendedTotal).
Result<TaskExit> SuperviseTask(StartedTask task, const TaskLaunch& launch, const KillSwitch& kill,
                               const TaskControl* control = nullptr);

}  // namespace gleaner::agent
