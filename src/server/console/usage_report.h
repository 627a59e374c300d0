// The accounting report behind GET /api/v1/report and `gleaner report`:
// parses its query and sums the store's usage rows under one key (host,
// user or UTC day). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "common/status.h"
#include "server/store/records.h"

namespace gleaner::server {

enum class UsageKey { kHost, kUser, kDay };

struct ReportQuery {
  int64_t since = 0;  // Unix ms
  UsageKey by = UsageKey::kDay;
};

// "since=7d&by=host"; both optional (7 days, by day). kInvalidArgument says
// what is accepted.
Result<ReportQuery> ParseReportQuery(const std::string& query, int64_t now);

// Sums `rows` per key, sorted by key (days therefore in order); only the
// rows of `only_user` when set, so a submitter sees its own work.
api::UsageReport SummarizeUsage(const std::vector<UsageRow>& rows, const ReportQuery& query,
                                const std::optional<std::string>& only_user);

}  // namespace gleaner::server
