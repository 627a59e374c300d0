// Feasibility checks of placement (the first stage of stack.h): may this host
// take work at all, may it run a task of this job, may it run this task.
// Pure: each looks only at what it is given. A new rule (quotas) is a new
// checker here, not a branch in the scheduler.
#pragma once

#include <cstdint>
#include <vector>

#include "api/requirements.h"
#include "api/types.h"

namespace gleaner::server {

class AskingHosts;

// What a host offers at the moment work is placed on it.
struct HostOffer {
  int64_t host_id = 0;
  bool quarantined = false;
  int64_t free_slots = 0;        // slots it asked to fill and has free, less those placed so far
  int64_t memory_for_tasks = 0;  // its memory, or less under its owner's cap
  const api::MatchFacts* facts = nullptr;   // its facts and labels; null: unknown, meets no requirement
  const AskingHosts* others = nullptr;      // the other hosts asking for work now; null: none
};

// What placement knows of a job: its spec, and its requirements and rank
// parsed once, at submit.
struct JobDemand {
  const api::JobSpec& spec;
  const api::Expression& requirements;
  const api::Expression& rank;
};

// The other hosts that ask for work at this moment (a view of the fleet the
// scheduler gives the rank stage).
class AskingHosts {
 public:
  virtual ~AskingHosts() = default;
  // Whether a host other than `except`, asking for work now, could take a
  // task of `job` and ranks above `value` by its rank.
  virtual bool AnyRanksAbove(const JobDemand& job, int64_t value, int64_t except) const = 0;
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
  virtual bool Feasible(const JobDemand& job, const HostOffer& host) const = 0;
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
  bool Feasible(const JobDemand& job, const HostOffer& host) const override;
};

// The host meets the job's requirements (`submit --requirements`): its facts
// and labels make the expression true. A job without any takes every host.
class MeetsRequirements final : public JobChecker {
 public:
  bool Feasible(const JobDemand& job, const HostOffer& host) const override;
};

// The replicas of one task run on distinct hosts: a host that runs or ran one
// (`replica_hosts`) gets no other.
bool DistinctReplicaHost(const std::vector<int64_t>& replica_hosts, int64_t host_id);

}  // namespace gleaner::server
