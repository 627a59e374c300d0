#include "agent/executor/posix/group_stopper.h"

#include <csignal>

#include "agent/executor/posix/task_processes.h"

namespace gleaner::agent {

// The group first (one syscall), then the escaped processes (a /proc walk).
Status GroupStopper::Pause() { return SignalTask(process_group_, marker_, SIGSTOP); }
Status GroupStopper::Unpause() { return SignalTask(process_group_, marker_, SIGCONT); }

}  // namespace gleaner::agent
