#include "agent/executor/group_stopper.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

namespace gleaner::agent {
namespace {

Status SignalGroup(pid_t group, int sig) {
  // ESRCH: the group is gone already, which is what stopping wanted anyway.
  if (::killpg(group, sig) != 0 && errno != ESRCH) {
    return Internal("cannot signal process group " + std::to_string(group) + ": " + std::strerror(errno));
  }
  return OkStatus();
}

}  // namespace

Status GroupStopper::Pause() { return SignalGroup(process_group_, SIGSTOP); }
Status GroupStopper::Unpause() { return SignalGroup(process_group_, SIGCONT); }

}  // namespace gleaner::agent
