// Audit records of admin and security events: who (a token's or host's name
// and role), what (an action such as "token.create" and its target), when,
// from where, and how it ended. A record rides in the same Batch as the
// change it describes, so both are durable together or not at all.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api/types.h"
#include "common/status.h"
#include "server/store/records.h"
#include "server/scheduler/scheduler.h"

namespace gleaner::server {

api::AuditEvent AuditOf(const Principal& who, const std::string& peer, std::string action, std::string target,
                        std::string detail, int64_t now);

// since=DURATION (how far back, default 7d), who=NAME, action=PREFIX,
// limit=N (default 1000, at most 100000), from /api/v1/audit's query string.
Result<AuditQuery> ParseAuditQuery(const std::string& query, int64_t now);

// Refused requests are audited too, but a client hammering with a bad token
// must not turn the audit log into its megaphone: at most `per_minute`
// refusals per address are recorded each minute. Thread-safe.
class RefusalThrottle {
 public:
  explicit RefusalThrottle(int per_minute = 20) : per_minute_(per_minute) {}
  // True when a refusal from `peer` at `now` should be recorded.
  bool Admit(const std::string& peer, int64_t now);

 private:
  struct Window {
    int64_t minute = 0;
    int count = 0;
  };
  const int per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace gleaner::server
