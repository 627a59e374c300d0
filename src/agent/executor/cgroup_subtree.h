// CgroupSubtree is the agent's own directory in the cgroup v2 hierarchy,
// under the cgroup the agent runs in, where each task gets a CgroupFreezer.
// The v2 mount is found in /proc/self/mountinfo, so pure v2 (/sys/fs/cgroup)
// and hybrid (/sys/fs/cgroup/unified) hosts both work; under systemd the
// agent's unit needs Delegate=yes. Thread-safe; removed on destruction.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "agent/executor/cgroup_freezer.h"

namespace gleaner::agent {

class CgroupSubtree {
 public:
  // kUnavailable, saying why, where there is no writable cgroup v2.
  static Result<std::unique_ptr<CgroupSubtree>> Open();
  ~CgroupSubtree();

  const std::string& path() const { return path_; }
  Result<std::unique_ptr<CgroupFreezer>> NewTaskCgroup();

 private:
  explicit CgroupSubtree(std::string path) : path_(std::move(path)) {}

  const std::string path_;
  std::atomic<int64_t> next_task_{1};
};

// Where cgroup2 is mounted, from the text of /proc/self/mountinfo.
std::optional<std::string> FindCgroup2Mount(const std::string& mountinfo);
// This process's v2 cgroup ("/a/b"), from the text of /proc/self/cgroup.
std::optional<std::string> OwnCgroup2Path(const std::string& proc_cgroup);

}  // namespace gleaner::agent
