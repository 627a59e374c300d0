// Rankers of placement (the second stage of stack.h): the order in which a
// host is offered the jobs with queued tasks, and a job's preference among
// the hosts that ask. Pure.
#pragma once

#include <cstdint>
#include <set>
#include <utility>

#include "server/scheduler/placement/feasibility.h"

namespace gleaner::server {

// Jobs are offered in ascending order of their key.
using RankKey = std::pair<int64_t, int64_t>;
using RankedJobs = std::set<RankKey>;

// Highest priority first; among equals, the oldest job (lowest id) first.
RankKey PriorityRank(int64_t job_id, int64_t priority);
// The job a key ranks.
inline int64_t RankedJob(const RankKey& key) { return key.second; }

// A job's rank (`submit --rank`): a host is passed over for the job while
// another host that asks for work now, and could take a task of it, ranks
// higher; that host gets the task when it asks (at once, or at its next
// report). A job without a rank, or a host without facts, is never passed over.
class PrefersNoBetterHost final : public JobChecker {
 public:
  bool Feasible(const JobDemand& job, const HostOffer& host) const override;
};

}  // namespace gleaner::server
