// Where `gleaner fetch` puts each task's files: DIR/<index>/<output name>, and
// the captures as DIR/<index>/stdout and stderr (an output of the same name
// wins). Names are checked again here, so a buggy or hostile server cannot make
// the CLI write outside DIR.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "api/types.h"
#include "common/status.h"

namespace gleaner::cli {

struct Download {
  std::string sha256;
  std::filesystem::path dest;
  int64_t task = 0;  // whose file it is: the server checks it for submitters
};

struct FetchPlan {
  std::vector<Download> downloads;
  int64_t tasks = 0;  // tasks with at least one file
};

Result<FetchPlan> PlanFetch(const api::TaskList& list, const std::filesystem::path& dir);

}  // namespace gleaner::cli
