// Targets of the /api/v1 resources the CLI calls, spelled once.
#pragma once

#include <cstdint>
#include <string>

namespace gleaner::cli {

inline constexpr const char* kJobsPath = "/api/v1/jobs";
inline constexpr const char* kHostsPath = "/api/v1/hosts";
inline constexpr const char* kTokensPath = "/api/v1/tokens";

// "/api/v1/jobs/7" followed by `sub`, e.g. "/tasks" or "/cancel".
inline std::string JobPath(int64_t id, const std::string& sub = "") {
  return std::string(kJobsPath) + "/" + std::to_string(id) + sub;
}

}  // namespace gleaner::cli
