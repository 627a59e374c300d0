#include "server/scheduler/placement/feasibility.h"

#include <algorithm>

namespace gleaner::server {

bool ResourcesFit::Feasible(const api::JobSpec& job, const HostOffer& host) const {
  return job.cpus <= host.free_slots && (job.memory == 0 || job.memory <= host.memory_for_tasks);
}

bool DistinctReplicaHost(const std::vector<int64_t>& replica_hosts, int64_t host_id) {
  return std::find(replica_hosts.begin(), replica_hosts.end(), host_id) == replica_hosts.end();
}

}  // namespace gleaner::server
