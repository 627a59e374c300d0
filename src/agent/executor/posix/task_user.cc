#include "agent/executor/task_user.h"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace gleaner::agent {

Result<std::optional<TaskUser>> ResolveTaskUser(const std::string& name) {
  if (::geteuid() != 0) return std::optional<TaskUser>();
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  int rc = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (rc != 0) return Internal("cannot look up user '" + name + "': " + std::strerror(rc));
  if (found == nullptr) {
    return InvalidArgument("the task user '" + name + "' does not exist; tasks never run as root. Create it with: " +
                           "useradd --system --no-create-home --shell /usr/sbin/nologin " + name +
                           " (or name another account with --task-user)");
  }
  if (found->pw_uid == 0) {
    return InvalidArgument("the task user '" + name + "' is root; tasks never run as root. Name an unprivileged " +
                           "account with --task-user");
  }
  return std::optional<TaskUser>(TaskUser{name, found->pw_uid, found->pw_gid});
}

}  // namespace gleaner::agent
