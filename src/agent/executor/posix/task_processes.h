// Finds every live process of one task where no cgroup lists them: the task's
// process group, and the processes that left it (setsid, setpgid) yet are
// still this agent's descendants (it is a child subreaper, so orphans come
// back to it) and carry the task's marker in their environment
// (GLEANER_ATTEMPT_ID=N, which every task gets) — and all their descendants.
// A task that clears its environment in a detached process escapes this; the
// cgroup freezer has no such gap. Reads /proc; no state, thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"

namespace gleaner::agent {

struct ProcEntry {
  pid_t pid = 0, ppid = 0, pgid = 0;
};

// The marker entry ("GLEANER_ATTEMPT_ID=7") in a task's environment, or "".
std::string TaskMarker(const std::map<std::string, std::string>& env);

// Pure: of `all`, the processes of the task whose group is `group`, among
// the descendants of `agent`; `carries_marker` is asked about those outside
// the group only.
std::vector<pid_t> SelectTaskProcesses(const std::vector<ProcEntry>& all, pid_t agent, pid_t group,
                                       const std::function<bool(pid_t)>& carries_marker);

// Reads /proc: the task's processes outside its group `group` (the group
// itself is reached with killpg). Empty without a marker.
std::vector<pid_t> FindEscapedProcesses(pid_t group, const std::string& marker);

// Sends `sig` to the group and to every process that escaped it; adds those
// to `escaped` when given.
Status SignalTask(pid_t group, const std::string& marker, int sig, std::set<pid_t>* escaped = nullptr);

// SIGKILLs the processes that escaped the group, and reaps them and the
// `known` ones (signalled earlier: once dead, a process's environment can no
// longer be read) as they become this agent's children, until none is left
// or `limit` passes. A known pid is only reaped, never signalled again.
void KillAndReapEscaped(pid_t group, const std::string& marker, std::set<pid_t> known,
                        std::chrono::milliseconds limit);

}  // namespace gleaner::agent
