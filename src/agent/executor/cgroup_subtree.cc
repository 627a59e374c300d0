#include "agent/executor/cgroup_subtree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string_view>

#include "common/files.h"

namespace gleaner::agent {

std::optional<std::string> FindCgroup2Mount(const std::string& mountinfo) {
  std::istringstream lines(mountinfo);
  for (std::string line; std::getline(lines, line);) {
    // "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"
    auto dash = line.find(" - ");
    if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
    std::istringstream fields(line.substr(0, dash));
    std::string id, parent, device, root, mount_point;
    if (fields >> id >> parent >> device >> root >> mount_point) return mount_point;
  }
  return std::nullopt;
}

std::optional<std::string> OwnCgroup2Path(const std::string& proc_cgroup) {
  std::istringstream lines(proc_cgroup);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  }
  return std::nullopt;
}

namespace {

// An agent killed with SIGKILL cannot remove its subtree; the next agent
// under the same parent does, once that agent's pid is gone. Leftover task
// processes are killed first (cgroup.kill), so the directories can go.
void RemoveStaleAgentCgroups(const std::string& parent) {
  constexpr std::string_view kPrefix = "gleaner-agent-";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(parent, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    std::string pid = name.substr(kPrefix.size());
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (std::filesystem::exists("/proc/" + pid, ec)) continue;
    for (const auto& task : std::filesystem::directory_iterator(entry.path(), ec)) {
      if (!task.is_directory(ec)) continue;
      int kill_fd = ::open((task.path().string() + "/cgroup.kill").c_str(), O_WRONLY | O_CLOEXEC);
      if (kill_fd >= 0) {
        (void)!::write(kill_fd, "1", 1);
        ::close(kill_fd);
      }
      ::rmdir(task.path().c_str());
    }
    ::rmdir(entry.path().c_str());
  }
}

}  // namespace

Result<std::unique_ptr<CgroupSubtree>> CgroupSubtree::Open() {
  auto mountinfo = ReadFile("/proc/self/mountinfo");
  auto cgroup = ReadFile("/proc/self/cgroup");
  if (!mountinfo.ok() || !cgroup.ok()) return Unavailable("cannot read /proc/self/mountinfo or /proc/self/cgroup");
  auto mount = FindCgroup2Mount(*mountinfo);
  if (!mount) return Unavailable("no cgroup v2 is mounted");
  auto own = OwnCgroup2Path(*cgroup);
  if (!own) return Unavailable("this process is in no cgroup v2");
  std::string parent = *mount + (*own == "/" ? "" : *own);
  RemoveStaleAgentCgroups(parent);
  std::string path = parent + "/gleaner-agent-" + std::to_string(::getpid());
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return Unavailable("cannot create " + path + ": " + std::strerror(errno) +
                       " (under systemd, give the agent's unit Delegate=yes)");
  }
  std::unique_ptr<CgroupSubtree> subtree(new CgroupSubtree(path));
  // A probe task cgroup proves freezing is possible here before we rely on it.
  auto probe = subtree->NewTaskCgroup();
  if (!probe.ok()) return Unavailable(probe.error().message);
  return subtree;
}

CgroupSubtree::~CgroupSubtree() { ::rmdir(path_.c_str()); }

Result<std::unique_ptr<CgroupFreezer>> CgroupSubtree::NewTaskCgroup() {
  return CgroupFreezer::Create(path_ + "/task-" + std::to_string(next_task_++));
}

}  // namespace gleaner::agent
