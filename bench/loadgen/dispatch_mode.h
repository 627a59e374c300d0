// Dispatch mode: simulated agents "finish" every task at once (zero-length
// tasks), so what is measured is the server's durable dispatch path: sync
// decode, scheduling, group commit, answer. Blocks until the job is done.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "options.h"

namespace gleaner::bench {

// Submit rate, durable tasks/s, sync latency and the server's CPU and RSS.
Result<nlohmann::json> RunDispatch(const Options& opt);

}  // namespace gleaner::bench
