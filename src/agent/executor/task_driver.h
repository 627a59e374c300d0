// A TaskDriver runs one task to its end in a prepared work directory: the seam
// between the agent and how tasks are isolated (plain process or bubblewrap,
// fakes in tests), and how they are suspended. Implementations are
// thread-safe: each attempt's thread calls Run concurrently, and Run blocks
// until every process is gone.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/executor/kill_switch.h"
#include "agent/executor/task_control.h"
#include "common/status.h"

namespace gleaner::agent {

// What a driver can promise, so the agent can say so.
enum class Isolation {
  kProcessGroup,  // own process group and unprivileged user; shares the host's view
  kNamespaces,    // own mount/pid/net namespaces as well
  kUnavailable,   // cannot isolate tasks and may not run them without: runs none
};
enum class SuspendMethod {
  kEachProcess,     // each process stopped by itself (POSIX: SIGSTOP/SIGCONT to the task's group)
  kWholeContainer,  // the task's container at once (the cgroup v2 freezer): every descendant, unundoable by the task
};

struct DriverCapabilities {
  const char* name;
  Isolation isolation;
  SuspendMethod suspend;
  const char* suspend_words;  // how, for people: "the cgroup v2 freezer", "stop signals"
};

struct TaskLaunch {
  std::vector<std::string> command;  // argv; a program with a slash is relative to work_dir
  std::string work_dir;
  std::map<std::string, std::string> env;  // the task's whole environment
  std::string stdout_path;                 // captures, kept outside work_dir
  std::string stderr_path;
  int64_t output_cap = 1 << 20;            // bytes kept per capture
  Millis timeout{0};                       // 0 = none
  Millis timeout_grace{std::chrono::seconds(5)};
  bool network = false;                    // the task may use the host's network (sandboxed drivers)
  int64_t memory = 0;                      // bytes the task asked for; 0 = unstated (sizes RLIMIT_AS)
};

// How the task ended, in its platform's terms: the main process's exit code
// (POSIX: 0-255; Windows: GetExitCodeProcess's whole DWORD, e.g. 0xC0000005
// for an access violation) or, on POSIX only, the signal that killed it.
struct TaskExit {
  std::optional<int64_t> exit_code;  // set when the main process exited
  std::optional<int> signal;         // set when a POSIX signal killed it; never on Windows
  std::string stopped_because;   // "timed out after 5m" or KillCauseText; empty if it ended by itself
  std::optional<KillCause> kill_cause;
  Millis wall{0};
  Millis cpu{0};
};

class TaskDriver {
 public:
  virtual ~TaskDriver() = default;
  virtual DriverCapabilities capabilities() const = 0;
  // Runs the task; a pull of `kill` ends it (SIGTERM, the request's grace,
  // SIGKILL), and `control` suspends and resumes it while it runs. An error
  // means the task could not be started at all.
  virtual Result<TaskExit> Run(const TaskLaunch& launch, const KillSwitch& kill, TaskControl& control) = 0;
};

}  // namespace gleaner::agent
