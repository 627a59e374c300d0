#include "server/auth/audit.h"

#include <charconv>

#include "common/units.h"
#include "server/http/request.h"

namespace gleaner::server {

api::AuditEvent AuditOf(const Principal& who, const std::string& peer, std::string action, std::string target,
                        std::string detail, int64_t now) {
  api::AuditEvent e;
  e.at = now;
  e.who = who.name;
  e.role = who.name.empty() ? "" : api::RoleName(who.role);
  e.peer = peer;
  e.action = std::move(action);
  e.target = std::move(target);
  e.outcome = "ok";
  e.detail = std::move(detail);
  return e;
}

Result<AuditQuery> ParseAuditQuery(const std::string& query, int64_t now) {
  AuditQuery q;
  std::string since = "7d";
  for (const auto& [key, value] : QueryParams(query)) {
    if (key == "since") {
      since = value;
    } else if (key == "who") {
      q.who = value;
    } else if (key == "action") {
      q.action = value;
    } else if (key == "limit") {
      int64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > 100'000) {
        return InvalidArgument("limit='" + value + "' must be a number from 1 to 100000");
      }
      q.limit = n;
    } else {
      return InvalidArgument("'" + key + "' is not an audit filter; use since, who, action or limit");
    }
  }
  auto window = ParseDuration(since);
  if (!window.ok()) return InvalidArgument("since='" + since + "': " + window.error().message);
  q.since = now - window->count();
  return q;
}

bool RefusalThrottle::Admit(const std::string& peer, int64_t now) {
  int64_t minute = now / 60'000;
  std::lock_guard lock(mutex_);
  if (windows_.size() > 10'000) {
    std::erase_if(windows_, [&](const auto& kv) { return kv.second.minute != minute; });
  }
  Window& w = windows_[peer];
  if (w.minute != minute) w = Window{minute, 0};
  return ++w.count <= per_minute_;
}

}  // namespace gleaner::server
