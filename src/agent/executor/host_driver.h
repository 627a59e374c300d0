// The task driver this host offers, set up from the operator's choices: the
// one place where the agent's wiring (agent_command.cc) meets platform types.
// On Linux (posix/host_driver.cc) it is ProcessDriver, inside bubblewrap when
// a trial run works, with a cgroup v2 Containment where one is writable; the
// Windows agent's will be a driver over Job Objects. Blocking (it tries the
// sandbox once); call once at start.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "agent/executor/containment.h"
#include "agent/executor/task_driver.h"
#include "agent/executor/task_user.h"

namespace gleaner::agent {

// The sandbox program tasks run in where none is named (bubblewrap on Linux).
extern const char* const kDefaultSandboxProgram;

struct HostDriverOptions {
  std::optional<TaskUser> task_user;
  std::string suspend = "auto";  // "freezer" (the whole container), "signals", or "auto": the container where it can
  std::string sandbox_program = kDefaultSandboxProgram;
  bool no_sandbox = false;         // never sandbox (trusted jobs, tests that watch tasks from outside)
  bool allow_unsandboxed = false;  // run tasks without a sandbox where it does not work
  std::string scratch_dir;         // where the trial run of the sandbox may create files
  int64_t slots = 1;
};

struct HostDriver {
  std::unique_ptr<TaskDriver> driver;
  Containment* containment = nullptr;  // the driver's (it outlives every user); null where there is none
  std::string sandbox;                 // the host facts' words for it, e.g. "bubblewrap"
};

// Fails only where a containment was demanded (suspend "freezer") and none
// can be had; a sandbox that does not work is logged loudly and leaves a
// driver that runs no tasks, unless allowed.
Result<HostDriver> OpenHostDriver(const HostDriverOptions& options);

}  // namespace gleaner::agent
