#include "server/scheduler/placement/rank.h"

namespace gleaner::server {

RankKey PriorityRank(int64_t job_id, int64_t priority) { return {-priority, job_id}; }

}  // namespace gleaner::server
