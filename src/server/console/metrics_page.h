// The /metrics page: the grid's counts, the committer's batches and the
// API's latencies in the Prometheus text format. Pure: callers gather the
// inputs (a fresh grid sample, the committer's stats, the latencies).
//
// Counts only, no names of jobs, users or hosts, so it is served without a
// token (see docs/console.md).
#pragma once

#include <map>
#include <string>

#include "api/types.h"
#include "common/histogram.h"
#include "server/store/committer.h"

namespace gleaner::server {

std::string RenderMetrics(const api::StatsSample& grid, const CommitStats& commits,
                          const std::map<std::string, Histogram>& http_latency);

}  // namespace gleaner::server
