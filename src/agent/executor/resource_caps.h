// ResourceCaps applies the policy's caps on all grid tasks of this host, "at
// most P% CPU" and "at most M bytes of memory", with the best means the host
// offers, and says which is in force:
//   CPU:    a cap on the Containment of all tasks (cgroup v2 cpu.max on
//           Linux), else a duty cycle (CpuDutyCycle) through each task's
//           container (freezer) or stop signals;
//   memory: a cap on the Containment (cgroup v2 memory.max), else RLIMIT_AS of
//           that size on each process of each task started from now on
//           (weaker: it bounds address space, per process).
// The owner guard feeds it the policy and the tasks it tracks. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "agent/executor/containment.h"
#include "agent/executor/cpu_duty_cycle.h"
#include "agent/executor/task_control.h"

namespace gleaner::agent {

enum class CpuCapMeans { kNone, kCgroupCpuMax, kDutyCycle };
enum class MemoryCapMeans { kNone, kCgroupMemoryMax, kAddressSpaceLimit };

class ResourceCaps {
 public:
  // `containment` (null where there is none) outlives this; `freezer` says
  // whether tasks pause with their container or with stop signals; `cores` of the host.
  ResourceCaps(Containment* containment, bool freezer, int64_t cores);

  // From the policy: 0 (or 100 for CPU) means no cap. Idempotent.
  void Set(int64_t cpu_percent, int64_t memory_bytes);
  // Before the task starts: its per-process memory limit, and the duty cycle.
  void Track(int64_t attempt_id, TaskControl& control);
  void Forget(int64_t attempt_id);

  CpuCapMeans cpu_means() const;
  MemoryCapMeans memory_means() const;
  // "" without caps, else e.g. "at most 50% CPU (duty cycle: tasks frozen 50 ms
  // of every 100 ms); memory at most 4.0G (RLIMIT_AS per task process)".
  std::string Describe() const;

 private:
  Containment* const containment_;
  const bool freezer_;
  const int64_t cores_;
  CpuDutyCycle duty_;

  mutable std::mutex mu_;
  int64_t cpu_percent_ = 0;                          // guarded by mu_
  int64_t memory_bytes_ = 0;                         // guarded by mu_
  CpuCapMeans cpu_means_ = CpuCapMeans::kNone;       // guarded by mu_
  MemoryCapMeans memory_means_ = MemoryCapMeans::kNone;  // guarded by mu_
};

}  // namespace gleaner::agent
