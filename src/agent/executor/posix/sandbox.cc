#include "agent/executor/posix/sandbox.h"

namespace gleaner::agent {

const std::vector<std::string>& SandboxSystemDirs() {
  static const std::vector<std::string> dirs = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"};
  return dirs;
}

const std::vector<std::string>& SandboxEtcEntries() {
  static const std::vector<std::string> entries = {
      "/etc/passwd",        "/etc/group",     "/etc/nsswitch.conf", "/etc/ld.so.cache", "/etc/ld.so.conf",
      "/etc/ld.so.conf.d",  "/etc/localtime", "/etc/timezone",      "/etc/hosts",       "/etc/host.conf",
      "/etc/resolv.conf",   "/etc/gai.conf",  "/etc/services",      "/etc/protocols",   "/etc/ssl",
      "/etc/ca-certificates", "/etc/alternatives", "/etc/os-release", "/etc/debian_version", "/etc/mime.types",
      "/etc/locale.alias"};
  return entries;
}

std::vector<std::string> BubblewrapArgv(const SandboxSpec& spec, const std::vector<std::string>& command) {
  std::vector<std::string> argv = {spec.bwrap,
                                   // Every namespace new; nested user namespaces refused.
                                   "--unshare-all", "--unshare-user", "--disable-userns",
                                   // The sandbox dies with bubblewrap, bubblewrap with the agent.
                                   "--die-with-parent"};
  if (spec.network) argv.push_back("--share-net");
  auto add = [&](std::initializer_list<std::string> words) { argv.insert(argv.end(), words); };
  for (const auto& dir : SandboxSystemDirs()) add({"--ro-bind-try", dir, dir});
  for (const auto& entry : SandboxEtcEntries()) add({"--ro-bind-try", entry, entry});
  add({"--symlink", "../proc/self/mounts", "/etc/mtab"});
  add({"--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"});
  // After /tmp, so a work dir under /tmp is bound on top of the private one.
  add({"--bind", spec.work_dir, spec.work_dir, "--chdir", spec.work_dir});
  // The root bubblewrap built (and the directories it made for the mounts) is
  // read-only too; /tmp, /dev/shm and the work dir are separate mounts.
  add({"--remount-ro", "/"});
  add({"--", "/usr/bin/env", "--default-signal=TERM", "--"});
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

}  // namespace gleaner::agent
