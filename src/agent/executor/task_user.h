// The unprivileged account tasks run as when the agent runs as root, so a task
// can never act as root. Resolution is a pure lookup (posix/task_user.cc);
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"

namespace gleaner::agent {

struct TaskUser {
  std::string name;
  // POSIX user and group ids; a Windows agent names the account only (its
  // token comes from LogonUser) and leaves them 0.
  uint32_t uid = 0;
  uint32_t gid = 0;
};

// The account named `name` when this process is root; nullopt otherwise (tasks
// then run as the agent's own user). Refuses a missing account, saying how to
// create it, and refuses root itself.
Result<std::optional<TaskUser>> ResolveTaskUser(const std::string& name);

}  // namespace gleaner::agent
