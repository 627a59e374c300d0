// Pure rules about job specs: validation and per-task command expansion.
#pragma once

#include <string>
#include <vector>

#include "api/types.h"
#include "common/status.h"

namespace gleaner::api {

inline constexpr int64_t kMaxTasksPerJob = 10'000'000;

// Says what is wrong with a spec, and how to fix it, or OK.
Status ValidateJobSpec(const JobSpec& spec);

// Replaces {i} with `index` and {n} with `count` in every argument; {{ and }}
// stand for literal braces.
std::vector<std::string> ExpandCommand(const std::vector<std::string>& command, int64_t index,
                                       int64_t count);

// True when a relative path stays inside its directory: no absolute paths, no
// "..", no empty components.
bool IsSafeRelativePath(const std::string& path);

}  // namespace gleaner::api
