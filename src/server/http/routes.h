// The routes of /api/v1 and who may call each: one table, so authorisation is
// read in one place. Pure; tested without sockets.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "server/scheduler/scheduler.h"

namespace gleaner::server {

enum class RouteId {
  kHealth,
  kEnroll,
  kSync,
  kBlobHead,
  kBlobGet,
  kBlobPut,
  kSubmitJob,
  kListJobs,
  kGetJob,
  kListTasks,
  kCancelJob,
  kListHosts,
  kCreateToken,
  // The management console (src/server/console/).
  kWhoAmI,
  kReport,
  kStats,
  kMetrics,
  kAsset,
  // The owner policy (src/server/policy/).
  kGetPolicy,
  kSetPolicy,
  // Administration (backups, quarantine, revocation, audit).
  kBackup,
  kReleaseHost,
  kRevokeHost,
  kListTokens,
  kRevokeToken,
  kAudit,
};

struct Route {
  RouteId id = RouteId::kHealth;
  int64_t job_id = 0;
  std::string sha256;
  std::string host{};  // a host name, for per-host policy
  int64_t host_id = 0;
  std::string token{};  // a token's id or name, for revocation
};

// Matches method and path; kNotFound for an unknown path, kInvalidArgument
// naming the methods allowed when only the method is wrong.
Result<Route> MatchRoute(const std::string& method, const std::string& path);

bool NeedsCredential(RouteId id);
// A stable snake_case name, e.g. "list_jobs", for metrics labels.
const char* RouteName(RouteId id);
// kPermissionDenied, saying which roles may, when `who` may not call `id`.
Status Authorize(RouteId id, const Principal& who);

}  // namespace gleaner::server
