#include "server/console/usage_report.h"

#include <map>

#include "common/clock.h"
#include "common/units.h"
#include "server/http/request.h"

namespace gleaner::server {
namespace {

const char* KeyName(UsageKey k) {
  switch (k) {
    case UsageKey::kHost: return "host";
    case UsageKey::kUser: return "user";
    case UsageKey::kDay: return "day";
  }
  return "day";
}

// "2026-11-28" for the UTC day starting at `day_ms`.
std::string DayName(int64_t day_ms) { return FormatUtc(day_ms, "%Y-%m-%d"); }

void Add(api::UsageLine& to, const UsageRow& row) {
  to.cpu_ms += row.cpu_ms;
  to.wall_ms += row.wall_ms;
  to.tasks += row.succeeded;
  to.failed += row.failed;
}

}  // namespace

Result<ReportQuery> ParseReportQuery(const std::string& query, int64_t now) {
  ReportQuery q;
  std::string since = "7d";
  for (const auto& [key, value] : QueryParams(query)) {
    if (key == "since") {
      since = value;
    } else if (key == "by") {
      if (value == "host") q.by = UsageKey::kHost;
      else if (value == "user") q.by = UsageKey::kUser;
      else if (value == "day") q.by = UsageKey::kDay;
      else return InvalidArgument("by='" + value + "' is not a report key; use host, user or day");
    }
  }
  auto window = ParseDuration(since);
  if (!window.ok()) return InvalidArgument("since='" + since + "': " + window.error().message);
  q.since = now - window->count();
  return q;
}

api::UsageReport SummarizeUsage(const std::vector<UsageRow>& rows, const ReportQuery& query,
                                const std::optional<std::string>& only_user) {
  api::UsageReport report;
  report.since = query.since;
  report.by = KeyName(query.by);
  report.total.key = "total";
  std::map<std::string, api::UsageLine> lines;
  for (const auto& row : rows) {
    if (only_user && row.user != *only_user) continue;
    std::string key = query.by == UsageKey::kHost   ? row.host
                      : query.by == UsageKey::kUser ? row.user
                                                    : DayName(row.day);
    api::UsageLine& line = lines[key];
    line.key = key;
    Add(line, row);
    Add(report.total, row);
  }
  for (auto& [key, line] : lines) report.lines.push_back(std::move(line));
  return report;
}

}  // namespace gleaner::server
