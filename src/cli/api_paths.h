// Targets of the /api/v1 resources the CLI calls, spelled once.
#pragma once

#include <cstdint>
#include <string>

namespace gleaner::cli {

inline constexpr const char* kJobsPath = "/api/v1/jobs";
inline constexpr const char* kHostsPath = "/api/v1/hosts";
inline constexpr const char* kTokensPath = "/api/v1/tokens";
inline constexpr const char* kBackupPath = "/api/v1/admin/backup";

// The owner policy for all hosts, or for the host named `host`.
inline std::string PolicyPath(const std::string& host) {
  return host.empty() ? "/api/v1/policy" : std::string(kHostsPath) + "/" + host + "/policy";
}

// "/api/v1/jobs/7" followed by `sub`, e.g. "/tasks" or "/cancel".
inline std::string JobPath(int64_t id, const std::string& sub = "") {
  return std::string(kJobsPath) + "/" + std::to_string(id) + sub;
}

// "/api/v1/report?since=7d&by=host"; `since` is a duration and `by` a word,
// neither needs escaping.
inline std::string ReportPath(const std::string& since, const std::string& by) {
  return "/api/v1/report?since=" + since + "&by=" + by;
}

}  // namespace gleaner::cli
