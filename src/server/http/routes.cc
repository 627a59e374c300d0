#include "server/http/routes.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <vector>

#include "common/sha256.h"

namespace gleaner::server {

using api::Role;

namespace {

constexpr Callers kPeople = kCallerAdmin | kCallerSubmitter | kCallerViewer;
constexpr Callers kAnyToken = kPeople | kCallerJoinToken | kCallerHost;

// /metrics carries counts only, and the console's files no data at all.
constexpr RouteAccess kPublic{kAnyToken | kCallerAnyone};
constexpr RouteAccess kTokenHolders{kAnyToken};
constexpr RouteAccess kReaders{kPeople, "it needs a viewer, submitter or admin token", "agents do not read the job list"};
constexpr RouteAccess kSubmitters{kCallerAdmin | kCallerSubmitter, "it needs a submitter or admin token"};
// A join token is not a host yet: it enrols first, then fetches inputs.
constexpr RouteAccess kBlobReaders{kPeople | kCallerHost, "enrol first; agents fetch with their own credential"};
constexpr RouteAccess kPolicySetters{kCallerAdmin, "only an admin sets the owner policy"};
constexpr RouteAccess kTokenAdmins{kCallerAdmin, "only an admin manages tokens"};

// clang-format off
constexpr RouteSpec kRoutes[] = {
  {"GET",  "/healthz",                       RouteId::kHealth,      "health",       kPublic},
  {"GET",  "/metrics",                       RouteId::kMetrics,     "metrics",      kPublic},
  {"GET",  "/",                              RouteId::kAsset,       "asset",        kPublic},
  {"GET",  "/assets/{file}",                 RouteId::kAsset,       "asset",        kPublic},
  {"GET",  "/api/v1/whoami",                 RouteId::kWhoAmI,      "whoami",       kTokenHolders},
  {"GET",  "/api/v1/report",                 RouteId::kReport,      "report",       kReaders},
  {"GET",  "/api/v1/stats",                  RouteId::kStats,       "stats",        kReaders},
  {"POST", "/api/v1/agents/enroll",          RouteId::kEnroll,      "enroll",
           {kCallerJoinToken, "enrol with a join token from `gleaner token create --role agent`",
            "this agent is enrolled already; it reports with its own credential"}},
  {"POST", "/api/v1/agents/sync",            RouteId::kSync,        "sync",
           {kCallerHost, "only an enrolled agent reports work; enrol first with a join token"}},
  {"GET",  "/api/v1/hosts",                  RouteId::kListHosts,   "list_hosts",   kReaders},
  {"GET",  "/api/v1/policy",                 RouteId::kGetPolicy,   "get_policy",   kReaders},
  {"PUT",  "/api/v1/policy",                 RouteId::kSetPolicy,   "set_policy",   kPolicySetters},
  {"GET",  "/api/v1/hosts/{host}/policy",    RouteId::kGetPolicy,   "get_policy",   kReaders},
  {"PUT",  "/api/v1/hosts/{host}/policy",    RouteId::kSetPolicy,   "set_policy",   kPolicySetters},
  {"GET",  "/api/v1/tokens",                 RouteId::kListTokens,  "list_tokens",  kTokenAdmins},
  {"POST", "/api/v1/tokens",                 RouteId::kCreateToken, "create_token", kTokenAdmins},
  {"POST", "/api/v1/tokens/{token}/revoke",  RouteId::kRevokeToken, "revoke_token", kTokenAdmins},
  {"GET",  "/api/v1/audit",                  RouteId::kAudit,       "audit",
           {kCallerAdmin, "only an admin reads the audit log"}},
  {"POST", "/api/v1/admin/backup",           RouteId::kBackup,      "backup",
           {kCallerAdmin, "only an admin takes backups"}},
  {"POST", "/api/v1/hosts/{host_id}/release", RouteId::kReleaseHost, "release_host",
           {kCallerAdmin, "only an admin releases a quarantined host"}},
  {"POST", "/api/v1/hosts/{host_id}/revoke", RouteId::kRevokeHost,  "revoke_host",
           {kCallerAdmin, "only an admin revokes a host"}},
  {"HEAD", "/api/v1/blobs/{sha256}",         RouteId::kBlobHead,    "blob_head",    kBlobReaders},
  {"GET",  "/api/v1/blobs/{sha256}",         RouteId::kBlobGet,     "blob_get",     kBlobReaders},
  {"PUT",  "/api/v1/blobs/{sha256}",         RouteId::kBlobPut,     "blob_put",
           {kCallerAdmin | kCallerSubmitter | kCallerHost, "uploads need a submitter or admin token"}},
  {"GET",  "/api/v1/jobs",                   RouteId::kListJobs,    "list_jobs",    kReaders},
  {"POST", "/api/v1/jobs",                   RouteId::kSubmitJob,   "submit_job",   kSubmitters},
  {"GET",  "/api/v1/jobs/{job}",             RouteId::kGetJob,      "get_job",      kReaders},
  {"GET",  "/api/v1/jobs/{job}/tasks",       RouteId::kListTasks,   "list_tasks",   kReaders},
  {"POST", "/api/v1/jobs/{job}/cancel",      RouteId::kCancelJob,   "cancel_job",   kSubmitters},
};
// clang-format on

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!parts.empty() && parts.back().empty()) parts.pop_back();  // tolerate a trailing slash
  return parts;
}

// The segments of every pattern in kRoutes, split once.
const std::vector<std::vector<std::string>>& PatternSegments() {
  static const std::vector<std::vector<std::string>> segments = [] {
    std::vector<std::vector<std::string>> all;
    for (const RouteSpec& spec : kRoutes) all.push_back(Split(spec.pattern));
    return all;
  }();
  return segments;
}

bool IsCapture(const std::string& segment) { return !segment.empty() && segment.front() == '{'; }

bool Fits(const std::vector<std::string>& pattern, const std::vector<std::string>& parts) {
  if (pattern.size() != parts.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!IsCapture(pattern[i]) && pattern[i] != parts[i]) return false;
  }
  return true;
}

Result<int64_t> ParseId(const std::string& s, const char* what, const char* lister) {
  int64_t id = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || p != s.data() + s.size() || id <= 0) {
    return InvalidArgument("'" + s + "' is not a " + what + " id; " + what + " ids are positive numbers, as `" +
                           lister + "` shows");
  }
  return id;
}

// Checks the path segment `value` that fills `capture` and stores it in `route`.
Status Capture(const std::string& capture, const std::string& value, Route& route) {
  if (capture == "{job}" || capture == "{host_id}") {
    bool job = capture == "{job}";
    auto id = job ? ParseId(value, "job", "gleaner jobs") : ParseId(value, "host", "gleaner hosts");
    if (!id.ok()) return id.error();
    (job ? route.job_id : route.host_id) = *id;
  } else if (capture == "{sha256}") {
    if (!IsSha256Hex(value)) {
      return InvalidArgument("'" + value + "' is not a blob address; blobs are named by 64 lowercase hex digits");
    }
    route.sha256 = value;
  } else if (capture == "{host}") {
    route.host = value;
  } else if (capture == "{token}") {
    route.token = value;
  }
  return OkStatus();
}

// "GET", "GET or POST", "HEAD, GET or PUT".
std::string ListOfMethods(const std::vector<const char*>& methods) {
  std::string out;
  for (size_t i = 0; i < methods.size(); ++i) {
    if (i > 0) out += i + 1 == methods.size() ? " or " : ", ";
    out += methods[i];
  }
  return out;
}

const RouteSpec* Find(RouteId id) {
  auto it = std::find_if(std::begin(kRoutes), std::end(kRoutes), [id](const RouteSpec& r) { return r.id == id; });
  return it == std::end(kRoutes) ? nullptr : &*it;
}

}  // namespace

std::span<const RouteSpec> Routes() { return kRoutes; }

const RouteSpec& SpecOf(RouteId id) {
  const RouteSpec* spec = Find(id);
  assert(spec != nullptr);
  return *spec;
}

Result<Route> MatchRoute(const std::string& method, const std::string& path) {
  auto parts = Split(path);
  const auto& patterns = PatternSegments();
  std::vector<const char*> allowed;  // the methods of the patterns that fit
  for (size_t i = 0; i < std::size(kRoutes); ++i) {
    if (!Fits(patterns[i], parts)) continue;
    Route route{kRoutes[i].id, 0, ""};
    for (size_t s = 0; s < parts.size(); ++s) {
      if (IsCapture(patterns[i][s])) GLEANER_RETURN_IF_ERROR(Capture(patterns[i][s], parts[s], route));
    }
    if (method == kRoutes[i].method) return route;
    allowed.push_back(kRoutes[i].method);
  }
  if (!allowed.empty()) {
    return InvalidArgument(method + " is not allowed on " + path + "; use " + ListOfMethods(allowed));
  }
  return NotFound("no such endpoint: " + path + " (the API lives under /api/v1; see docs/api.md)");
}

bool NeedsCredential(RouteId id) {
  const RouteSpec* spec = Find(id);
  return spec == nullptr || (spec->access.callers & kCallerAnyone) == 0;
}

const char* RouteName(RouteId id) {
  const RouteSpec* spec = Find(id);
  return spec == nullptr ? "unknown" : spec->name;
}

Caller CallerOf(const Principal& who) {
  if (who.host_id != 0) return kCallerHost;
  switch (who.role) {
    case Role::kAdmin: return kCallerAdmin;
    case Role::kSubmitter: return kCallerSubmitter;
    case Role::kViewer: return kCallerViewer;
    case Role::kAgent: return kCallerJoinToken;
  }
  return kCallerViewer;
}

Status Authorize(RouteId id, const Principal& who) {
  const RouteSpec* spec = Find(id);
  if (spec == nullptr) return PermissionDenied("unknown route");
  Caller caller = CallerOf(who);
  if ((spec->access.callers & caller) != 0) return OkStatus();
  if (caller == kCallerHost && spec->access.host_refusal != nullptr) return PermissionDenied(spec->access.host_refusal);
  std::string role = api::RoleName(who.role);
  return PermissionDenied((role == "admin" || role == "agent" ? "an " : "a ") + role + " token may not do this; " +
                          spec->access.refusal);
}

}  // namespace gleaner::server
