// CgroupSubtree is the agent's own directory in the cgroup v2 hierarchy,
// under the cgroup the agent runs in, where each task gets a CgroupFreezer:
// Linux's Containment (containment.h).
// The v2 mount is found in /proc/self/mountinfo, so pure v2 (/sys/fs/cgroup)
// and hybrid (/sys/fs/cgroup/unified) hosts both work; under systemd the
// agent's unit needs Delegate=yes. Where the cpu and memory controllers reach
// it, caps on all tasks together are set on this directory (cpu.max,
// memory.max). Thread-safe; removed on destruction.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "agent/executor/containment.h"
#include "agent/executor/posix/cgroup_freezer.h"

namespace gleaner::agent {

class CgroupSubtree : public Containment {
 public:
  // kUnavailable, saying why, where there is no writable cgroup v2.
  static Result<std::unique_ptr<CgroupSubtree>> Open();
  ~CgroupSubtree() override;

  const std::string& path() const { return path_; }
  // A CgroupFreezer.
  Result<std::unique_ptr<TaskContainer>> NewTaskContainer() override;

  // Whether cpu.max / memory.max can cap the subtree (the controller is
  // enabled for it by its parent).
  bool can_cap_cpu() const override { return has_cpu_; }
  bool can_cap_memory() const override { return has_memory_; }
  Status SetCpuMax(int64_t percent, int64_t cores) override;  // cpu.max
  Status SetMemoryMax(int64_t bytes) override;                // memory.max

 private:
  CgroupSubtree(std::string path, bool has_cpu, bool has_memory)
      : path_(std::move(path)), has_cpu_(has_cpu), has_memory_(has_memory) {}

  const std::string path_;
  const bool has_cpu_, has_memory_;
  std::atomic<int64_t> next_task_{1};
};

// Where cgroup2 is mounted, from the text of /proc/self/mountinfo.
std::optional<std::string> FindCgroup2Mount(const std::string& mountinfo);
// This process's v2 cgroup ("/a/b"), from the text of /proc/self/cgroup.
std::optional<std::string> OwnCgroup2Path(const std::string& proc_cgroup);
// Whether the text of a cgroup.controllers file lists `controller`.
bool ListsController(const std::string& controllers, const std::string& controller);
// The text of cpu.max for `percent` of `cores` CPUs over a 100 ms period
// ("max 100000" for no cap).
std::string CpuMaxText(int64_t percent, int64_t cores);

}  // namespace gleaner::agent
