// Pure rules about job specs: validation and per-task command expansion.
#pragma once

#include <string>
#include <vector>

#include "api/types.h"
#include "common/status.h"

namespace gleaner::api {

inline constexpr int64_t kMaxTasksPerJob = 10'000'000;
// Bounds on what one spec may carry, so a submit cannot make the server (or
// every agent) hold or exec something absurd. Generous for real jobs; long
// argument lists and large settings belong in an input file.
inline constexpr size_t kMaxCommandArgs = 4096;
inline constexpr size_t kMaxCommandBytes = 128 * 1024;  // all arguments together
inline constexpr size_t kMaxEnvVars = 1024;
inline constexpr size_t kMaxEnvBytes = 128 * 1024;      // all names and values together
inline constexpr size_t kMaxInputs = 10'000;
inline constexpr size_t kMaxOutputPatterns = 1000;
inline constexpr size_t kMaxPathBytes = 4096;           // an input name or output pattern (PATH_MAX)
// Result validation (docs/validation.md): 1 <= quorum <= replicas <= kMaxReplicas.
inline constexpr int64_t kMaxReplicas = 10;

// Says what is wrong with a spec, and how to fix it, or OK.
Status ValidateJobSpec(const JobSpec& spec);

// Replaces {i} with `index` and {n} with `count` in every argument; {{ and }}
// stand for literal braces.
std::vector<std::string> ExpandCommand(const std::vector<std::string>& command, int64_t index,
                                       int64_t count);

// True when a relative path stays inside its directory: no absolute paths, no
// "..", no empty components, no NUL, at most kMaxPathBytes.
bool IsSafeRelativePath(const std::string& path);
// Why `path` is not a safe relative path, in words ("it starts with '/'"), or
// "" when it is one.
std::string WhyUnsafePath(const std::string& path);

// A validator's name (docs/validation.md): 1 to 64 letters, digits, '.', '_', '-'.
bool IsValidatorName(const std::string& name);

}  // namespace gleaner::api
