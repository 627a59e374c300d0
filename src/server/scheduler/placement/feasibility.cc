#include "server/scheduler/placement/feasibility.h"

#include <algorithm>

namespace gleaner::server {

bool ResourcesFit::Feasible(const JobDemand& job, const HostOffer& host) const {
  return job.spec.cpus <= host.free_slots && (job.spec.memory == 0 || job.spec.memory <= host.memory_for_tasks);
}

bool MeetsRequirements::Feasible(const JobDemand& job, const HostOffer& host) const {
  if (job.requirements.empty()) return true;
  return host.facts != nullptr && job.requirements.Matches(*host.facts);
}

bool DistinctReplicaHost(const std::vector<int64_t>& replica_hosts, int64_t host_id) {
  return std::find(replica_hosts.begin(), replica_hosts.end(), host_id) == replica_hosts.end();
}

}  // namespace gleaner::server
