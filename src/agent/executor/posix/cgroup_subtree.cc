#include "agent/executor/posix/cgroup_subtree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

bool ListsController(const std::string& controllers, const std::string& controller) {
  std::istringstream words(controllers);
  for (std::string word; words >> word;) {
    if (word == controller) return true;
  }
  return false;
}

std::string CpuMaxText(int64_t percent, int64_t cores) {
  constexpr int64_t kPeriodUs = 100'000;
  if (percent <= 0 || percent >= 100) return "max " + std::to_string(kPeriodUs);
  // The kernel refuses a quota under 1 ms.
  int64_t quota = std::max<int64_t>(1000, kPeriodUs * std::max<int64_t>(cores, 1) * percent / 100);
  return std::to_string(quota) + " " + std::to_string(kPeriodUs);
}

namespace {

Status WriteCgroupFile(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Internal("cannot open " + path + ": " + std::strerror(errno));
  ssize_t n = ::write(fd, text.data(), text.size());
  int saved = errno;
  ::close(fd);
  if (n < 0) return Internal("cannot write '" + text + "' to " + path + ": " + std::strerror(saved));
  return OkStatus();
}

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
  // Caps on all tasks need the cpu and memory controllers enabled for our
  // directory by its parent. That works where the parent is the root cgroup
  // or holds no process; elsewhere (a systemd unit with Delegate=yes holding
  // the agent itself) it fails, and the caps fall back to per-task means.
  for (const char* controller : {"+cpu", "+memory"}) {
    (void)WriteCgroupFile(parent + "/cgroup.subtree_control", controller);
  }
  auto controllers = ReadFile(path + "/cgroup.controllers");
  std::string available = controllers.ok() ? *controllers : "";
  std::unique_ptr<CgroupSubtree> subtree(
      new CgroupSubtree(path, ListsController(available, "cpu"), ListsController(available, "memory")));
  // A probe task cgroup proves freezing is possible here before we rely on it.
  auto probe = subtree->NewTaskContainer();
  if (!probe.ok()) return Unavailable(probe.error().message);
  return subtree;
}

CgroupSubtree::~CgroupSubtree() { ::rmdir(path_.c_str()); }

Status CgroupSubtree::SetCpuMax(int64_t percent, int64_t cores) {
  if (!has_cpu_) return Unavailable("the cpu controller is not enabled for " + path_);
  return WriteCgroupFile(path_ + "/cpu.max", CpuMaxText(percent, cores));
}

Status CgroupSubtree::SetMemoryMax(int64_t bytes) {
  if (!has_memory_) return Unavailable("the memory controller is not enabled for " + path_);
  return WriteCgroupFile(path_ + "/memory.max", bytes > 0 ? std::to_string(bytes) : "max");
}

Result<std::unique_ptr<TaskContainer>> CgroupSubtree::NewTaskContainer() {
  auto created = CgroupFreezer::Create(path_ + "/task-" + std::to_string(next_task_++));
  if (!created.ok()) return created.error();
  return std::unique_ptr<TaskContainer>(std::move(*created));
}

}  // namespace gleaner::agent
