// Feasibility checks of placement (the first stage of stack.h): may this host
// take work at all, may it run a task of this job, may it run this task.
// Pure: each looks only at what it is given. A new rule (requirements over
// host facts, quotas) is a new checker here, not a branch in the scheduler.
#pragma once

#include <cstdint>
#include <vector>

#include "api/types.h"

namespace gleaner::server {

// What a host offers at the moment work is placed on it.
struct HostOffer {
  int64_t host_id = 0;
  bool quarantined = false;
  int64_t free_slots = 0;        // slots it asked to fill and has free, less those placed so far
  int64_t memory_for_tasks = 0;  // its memory, or less under its owner's cap
};

// Decides whether a host may take any work now.
class HostChecker {
 public:
  virtual ~HostChecker() = default;
  virtual bool Feasible(const HostOffer& host) const = 0;
};

// Decides whether a host may run one more task of a job.
class JobChecker {
 public:
  virtual ~JobChecker() = default;
  virtual bool Feasible(const api::JobSpec& job, const HostOffer& host) const = 0;
};

// A quarantined host (too many failures or disagreeing results) gets no work
// until an admin releases it.
class NotQuarantined final : public HostChecker {
 public:
  bool Feasible(const HostOffer& host) const override { return !host.quarantined; }
};

// A task fits when its cpus fit the free slots and its memory (if it asks for
// any) fits what the host offers tasks.
class ResourcesFit final : public JobChecker {
 public:
  bool Feasible(const api::JobSpec& job, const HostOffer& host) const override;
};

// The replicas of one task run on distinct hosts: a host that runs or ran one
// (`replica_hosts`) gets no other.
bool DistinctReplicaHost(const std::vector<int64_t>& replica_hosts, int64_t host_id);

}  // namespace gleaner::server
