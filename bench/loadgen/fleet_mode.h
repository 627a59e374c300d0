// Fleet mode: many enrolled, idle agents each reporting once per period, the
// first `hold` of them over connections they keep open, the rest connecting
// per report. Measures what a large fleet costs the server at rest.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "options.h"

namespace gleaner::bench {

// Reports/s, sync latency, server CPU (% of a core) and RSS: per enrolled
// agent and per held connection.
Result<nlohmann::json> RunFleet(const Options& opt);

}  // namespace gleaner::bench
