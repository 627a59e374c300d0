#include "agent/executor/resource_caps.h"

#include <spdlog/spdlog.h>

#include "common/units.h"

namespace gleaner::agent {

ResourceCaps::ResourceCaps(Containment* containment, bool freezer, int64_t cores)
    : containment_(containment), freezer_(freezer), cores_(std::max<int64_t>(cores, 1)) {}

void ResourceCaps::Set(int64_t cpu_percent, int64_t memory_bytes) {
  if (cpu_percent >= 100) cpu_percent = 0;
  std::lock_guard lock(mu_);
  if (cpu_percent != cpu_percent_) {
    cpu_percent_ = cpu_percent;
    bool by_cgroup = containment_ && containment_->can_cap_cpu();
    if (by_cgroup) {
      if (Status s = containment_->SetCpuMax(cpu_percent, cores_); !s.ok()) {
        spdlog::warn("cannot cap CPU with cpu.max ({}); using a duty cycle", s.message());
        by_cgroup = false;
      }
    }
    duty_.SetPercent(by_cgroup ? 0 : cpu_percent);
    cpu_means_ = cpu_percent == 0 ? CpuCapMeans::kNone : by_cgroup ? CpuCapMeans::kCgroupCpuMax : CpuCapMeans::kDutyCycle;
  }
  if (memory_bytes != memory_bytes_) {
    memory_bytes_ = memory_bytes;
    bool by_cgroup = containment_ && containment_->can_cap_memory();
    if (by_cgroup) {
      if (Status s = containment_->SetMemoryMax(memory_bytes); !s.ok()) {
        spdlog::warn("cannot cap memory with memory.max ({}); limiting each task's address space", s.message());
        by_cgroup = false;
      }
    }
    memory_means_ = memory_bytes == 0 ? MemoryCapMeans::kNone
                    : by_cgroup       ? MemoryCapMeans::kCgroupMemoryMax
                                      : MemoryCapMeans::kAddressSpaceLimit;
  }
}

void ResourceCaps::Track(int64_t attempt_id, TaskControl& control) {
  {
    std::lock_guard lock(mu_);
    control.set_address_space_limit(memory_means_ == MemoryCapMeans::kAddressSpaceLimit ? memory_bytes_ : 0);
  }
  duty_.Track(attempt_id, control);
}

void ResourceCaps::Forget(int64_t attempt_id) { duty_.Forget(attempt_id); }

CpuCapMeans ResourceCaps::cpu_means() const {
  std::lock_guard lock(mu_);
  return cpu_means_;
}

MemoryCapMeans ResourceCaps::memory_means() const {
  std::lock_guard lock(mu_);
  return memory_means_;
}

std::string ResourceCaps::Describe() const {
  std::lock_guard lock(mu_);
  std::string text;
  if (cpu_means_ != CpuCapMeans::kNone) {
    std::string percent = std::to_string(cpu_percent_);
    text = "at most " + percent + "% CPU (";
    if (cpu_means_ == CpuCapMeans::kCgroupCpuMax) {
      text += "cgroup cpu.max";
    } else {
      text += "duty cycle: tasks run " + percent + " ms of every 100 ms, then are " +
              (freezer_ ? "frozen" : "stopped with SIGSTOP");
    }
    text += ")";
  }
  if (memory_means_ != MemoryCapMeans::kNone) {
    if (!text.empty()) text += "; ";
    text += "memory at most " + FormatSize(memory_bytes_) + " (" +
            (memory_means_ == MemoryCapMeans::kCgroupMemoryMax ? "cgroup memory.max for all tasks"
                                                               : "RLIMIT_AS on each task process") +
            ")";
  }
  return text;
}

}  // namespace gleaner::agent
