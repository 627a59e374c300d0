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

// Lets the quarantined host `id` take work again.
inline std::string HostReleasePath(int64_t id) { return std::string(kHostsPath) + "/" + std::to_string(id) + "/release"; }

// Percent-encodes everything but unreserved characters, for path segments
// and query values.
inline std::string UrlEscape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Refuses the token with this id or name from now on.
inline std::string TokenRevokePath(const std::string& id_or_name) {
  return std::string(kTokensPath) + "/" + UrlEscape(id_or_name) + "/revoke";
}

// Refuses the host's credential from now on.
inline std::string HostRevokePath(int64_t id) { return std::string(kHostsPath) + "/" + std::to_string(id) + "/revoke"; }

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
