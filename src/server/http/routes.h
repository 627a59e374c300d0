// The routes of the server: one table of {method, pattern, id, name, who may
// call it}, which matching, metrics names and authorisation all read (and the
// API handlers bind a handler to each id). Adding a route is one row here plus
// its handler. Pure and constant; tested without sockets.
#pragma once

#include <cstdint>
#include <span>
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

// Who calls: a token's role, with agents told apart into a join token (not
// enrolled yet) and an enrolled host's own credential; or no credential.
enum Caller : uint8_t {
  kCallerAdmin = 1 << 0,
  kCallerSubmitter = 1 << 1,
  kCallerViewer = 1 << 2,
  kCallerJoinToken = 1 << 3,
  kCallerHost = 1 << 4,
  kCallerAnyone = 1 << 5,  // no credential needed
};
using Callers = uint8_t;  // a set of Caller bits

struct RouteAccess {
  Callers callers = 0;
  // Said to a refused caller after "a viewer token may not do this; ".
  const char* refusal = "";
  // Said instead to a refused enrolled agent; nullptr: the refusal above.
  const char* host_refusal = nullptr;
};

struct RouteSpec {
  const char* method;   // "GET", "POST", ...
  // "/api/v1/jobs/{job}/tasks". Captures: {job} and {host_id} (positive ids),
  // {sha256} (a blob address), {host} (a host name), {token} (a token's id or
  // name), {file} (anything).
  const char* pattern;
  RouteId id;
  const char* name;  // stable snake_case, e.g. "list_jobs", for metrics labels
  RouteAccess access;
};

// Every route, in matching order. An id may have more than one row (one per
// method and pattern); its rows share the name and the access.
std::span<const RouteSpec> Routes();
// The first row of `id`. REQUIRES: `id` is in Routes().
const RouteSpec& SpecOf(RouteId id);

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
// SpecOf(id).name, or "unknown" for a value that is no route.
const char* RouteName(RouteId id);
Caller CallerOf(const Principal& who);
// kPermissionDenied, saying which roles may, when `who` may not call `id`.
Status Authorize(RouteId id, const Principal& who);

}  // namespace gleaner::server
