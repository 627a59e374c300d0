// Rankers of placement (the second stage of stack.h): the order in which a
// host is offered the jobs with queued tasks. Pure.
#pragma once

#include <cstdint>
#include <set>
#include <utility>

namespace gleaner::server {

// Jobs are offered in ascending order of their key.
using RankKey = std::pair<int64_t, int64_t>;
using RankedJobs = std::set<RankKey>;

// Highest priority first; among equals, the oldest job (lowest id) first.
RankKey PriorityRank(int64_t job_id, int64_t priority);
// The job a key ranks.
inline int64_t RankedJob(const RankKey& key) { return key.second; }

}  // namespace gleaner::server
