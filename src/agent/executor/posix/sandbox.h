// The bubblewrap command line that puts one task in its sandbox: the host's
// system directories read-only, a minimal /etc, fresh /proc and /dev, a
// private /tmp, and the task's work dir as the only writable place from the
// host (bound at its own path, so paths in the task's environment hold). All
// namespaces are new (user, mount, pid, ipc, uts, cgroup, and net unless the
// task may use the network). Everything else of the host, the agent's own
// directory and its credential among it, is simply not there. Pure.
#pragma once

#include <string>
#include <vector>

namespace gleaner::agent {

inline constexpr char kDefaultBubblewrap[] = "/usr/bin/bwrap";

struct SandboxSpec {
  std::string bwrap = kDefaultBubblewrap;
  std::string work_dir;  // absolute; bound read-write at the same path
  bool network = false;  // share the host's network namespace
};

// System directories bound read-only when they exist (symlinks such as
// /bin -> usr/bin on merged-/usr hosts resolve to their targets).
const std::vector<std::string>& SandboxSystemDirs();
// The few entries of /etc a program needs: users and groups, the dynamic
// linker's cache, time zone, name resolution, TLS roots, Debian alternatives.
const std::vector<std::string>& SandboxEtcEntries();

// The full argv: bwrap, its options, "--", then the task's command behind
// `env --default-signal=TERM`. The agent starts bwrap with SIGTERM ignored,
// so that a SIGTERM to the task's process group leaves bubblewrap alive
// (its death would SIGKILL the whole sandbox at once, --die-with-parent) and
// only the task hears it, with the grace it is owed; env restores the
// default action for the task. bwrap's own init (pid 1 of the namespace)
// ignores SIGTERM from outside anyway.
std::vector<std::string> BubblewrapArgv(const SandboxSpec& spec, const std::vector<std::string>& command);

}  // namespace gleaner::agent
