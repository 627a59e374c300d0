#include "server/scheduler/placement/rank.h"

namespace gleaner::server {

RankKey PriorityRank(int64_t job_id, int64_t priority) { return {-priority, job_id}; }

bool PrefersNoBetterHost::Feasible(const JobDemand& job, const HostOffer& host) const {
  if (job.rank.empty() || host.facts == nullptr || host.others == nullptr) return true;
  return !host.others->AnyRanksAbove(job, job.rank.Rank(*host.facts), host.host_id);
}

}  // namespace gleaner::server
