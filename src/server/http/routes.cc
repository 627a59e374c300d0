#include "server/http/routes.h"

#include <charconv>
#include <initializer_list>
#include <vector>

#include "common/sha256.h"

namespace gleaner::server {

using api::Role;

namespace {

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

Result<int64_t> ParseId(const std::string& s, const char* what, const char* lister) {
  int64_t id = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || p != s.data() + s.size() || id <= 0) {
    return InvalidArgument("'" + s + "' is not a " + what + " id; " + what + " ids are positive numbers, as `" +
                           lister + "` shows");
  }
  return id;
}

Error WrongMethod(const std::string& method, const std::string& path, const char* allowed) {
  return InvalidArgument(method + " is not allowed on " + path + "; use " + allowed);
}

}  // namespace

Result<Route> MatchRoute(const std::string& method, const std::string& path) {
  auto parts = Split(path);
  auto is = [&](std::initializer_list<const char*> want) {
    if (parts.size() != want.size()) return false;
    size_t i = 0;
    for (const char* w : want) {
      if (*w != '*' && parts[i] != w) return false;
      ++i;
    }
    return true;
  };
  auto one = [&](const char* m, RouteId id, const char* allowed) -> Result<Route> {
    if (method != m) return WrongMethod(method, path, allowed);
    return Route{id, 0, ""};
  };
  if (is({"healthz"})) return one("GET", RouteId::kHealth, "GET");
  if (is({"metrics"})) return one("GET", RouteId::kMetrics, "GET");
  if (parts.empty() || is({"assets", "*"})) return one("GET", RouteId::kAsset, "GET");
  if (is({"api", "v1", "whoami"})) return one("GET", RouteId::kWhoAmI, "GET");
  if (is({"api", "v1", "report"})) return one("GET", RouteId::kReport, "GET");
  if (is({"api", "v1", "stats"})) return one("GET", RouteId::kStats, "GET");
  if (is({"api", "v1", "agents", "enroll"})) return one("POST", RouteId::kEnroll, "POST");
  if (is({"api", "v1", "agents", "sync"})) return one("POST", RouteId::kSync, "POST");
  if (is({"api", "v1", "hosts"})) return one("GET", RouteId::kListHosts, "GET");
  if (is({"api", "v1", "policy"}) || is({"api", "v1", "hosts", "*", "policy"})) {
    std::string host = parts.size() == 5 ? parts[3] : "";
    if (method == "GET") return Route{RouteId::kGetPolicy, 0, "", host};
    if (method == "PUT") return Route{RouteId::kSetPolicy, 0, "", host};
    return WrongMethod(method, path, "GET or PUT");
  }
  if (is({"api", "v1", "tokens"})) {
    if (method == "GET") return Route{RouteId::kListTokens, 0, ""};
    if (method == "POST") return Route{RouteId::kCreateToken, 0, ""};
    return WrongMethod(method, path, "GET or POST");
  }
  if (is({"api", "v1", "tokens", "*", "revoke"})) {
    Result<Route> r = one("POST", RouteId::kRevokeToken, "POST");
    if (r.ok()) r->token = parts[3];
    return r;
  }
  if (is({"api", "v1", "audit"})) return one("GET", RouteId::kAudit, "GET");
  if (is({"api", "v1", "admin", "backup"})) return one("POST", RouteId::kBackup, "POST");
  if (is({"api", "v1", "hosts", "*", "release"}) || is({"api", "v1", "hosts", "*", "revoke"})) {
    auto id = ParseId(parts[3], "host", "gleaner hosts");
    if (!id.ok()) return id.error();
    Result<Route> r = parts[4] == "release" ? one("POST", RouteId::kReleaseHost, "POST")
                                            : one("POST", RouteId::kRevokeHost, "POST");
    if (r.ok()) r->host_id = *id;
    return r;
  }
  if (is({"api", "v1", "blobs", "*"})) {
    if (!IsSha256Hex(parts[3])) {
      return InvalidArgument("'" + parts[3] + "' is not a blob address; blobs are named by 64 lowercase hex digits");
    }
    RouteId id;
    if (method == "HEAD") id = RouteId::kBlobHead;
    else if (method == "GET") id = RouteId::kBlobGet;
    else if (method == "PUT") id = RouteId::kBlobPut;
    else return WrongMethod(method, path, "HEAD, GET or PUT");
    return Route{id, 0, parts[3]};
  }
  if (is({"api", "v1", "jobs"})) {
    if (method == "GET") return Route{RouteId::kListJobs, 0, ""};
    if (method == "POST") return Route{RouteId::kSubmitJob, 0, ""};
    return WrongMethod(method, path, "GET or POST");
  }
  if (is({"api", "v1", "jobs", "*"}) || is({"api", "v1", "jobs", "*", "tasks"}) ||
      is({"api", "v1", "jobs", "*", "cancel"})) {
    auto id = ParseId(parts[3], "job", "gleaner jobs");
    if (!id.ok()) return id.error();
    Result<Route> r = parts.size() == 4   ? one("GET", RouteId::kGetJob, "GET")
                      : parts[4] == "tasks" ? one("GET", RouteId::kListTasks, "GET")
                                            : one("POST", RouteId::kCancelJob, "POST");
    if (r.ok()) r->job_id = *id;
    return r;
  }
  return NotFound("no such endpoint: " + path + " (the API lives under /api/v1; see docs/api.md)");
}

// /metrics carries counts only, and the console's files no data at all.
bool NeedsCredential(RouteId id) {
  return id != RouteId::kHealth && id != RouteId::kMetrics && id != RouteId::kAsset;
}

const char* RouteName(RouteId id) {
  switch (id) {
    case RouteId::kHealth: return "health";
    case RouteId::kEnroll: return "enroll";
    case RouteId::kSync: return "sync";
    case RouteId::kBlobHead: return "blob_head";
    case RouteId::kBlobGet: return "blob_get";
    case RouteId::kBlobPut: return "blob_put";
    case RouteId::kSubmitJob: return "submit_job";
    case RouteId::kListJobs: return "list_jobs";
    case RouteId::kGetJob: return "get_job";
    case RouteId::kListTasks: return "list_tasks";
    case RouteId::kCancelJob: return "cancel_job";
    case RouteId::kListHosts: return "list_hosts";
    case RouteId::kCreateToken: return "create_token";
    case RouteId::kWhoAmI: return "whoami";
    case RouteId::kReport: return "report";
    case RouteId::kStats: return "stats";
    case RouteId::kMetrics: return "metrics";
    case RouteId::kAsset: return "asset";
    case RouteId::kGetPolicy: return "get_policy";
    case RouteId::kSetPolicy: return "set_policy";
    case RouteId::kBackup: return "backup";
    case RouteId::kReleaseHost: return "release_host";
    case RouteId::kRevokeHost: return "revoke_host";
    case RouteId::kListTokens: return "list_tokens";
    case RouteId::kRevokeToken: return "revoke_token";
    case RouteId::kAudit: return "audit";
  }
  return "unknown";
}

Status Authorize(RouteId id, const Principal& who) {
  auto allow = [&](std::initializer_list<Role> roles, const char* words) -> Status {
    for (Role r : roles) {
      if (who.role == r) return OkStatus();
    }
    std::string role = api::RoleName(who.role);
    return PermissionDenied((role == "admin" || role == "agent" ? "an " : "a ") + role + " token may not do this; " + words);
  };
  bool is_host = who.host_id != 0;
  switch (id) {
    case RouteId::kHealth:
    case RouteId::kMetrics:
    case RouteId::kAsset:
    case RouteId::kWhoAmI:
      return OkStatus();
    case RouteId::kEnroll:
      if (is_host) return PermissionDenied("this agent is enrolled already; it reports with its own credential");
      return allow({Role::kAgent}, "enrol with a join token from `gleaner token create --role agent`");
    case RouteId::kSync:
      if (!is_host) return PermissionDenied("only an enrolled agent reports work; enrol first with a join token");
      return OkStatus();
    case RouteId::kBlobHead:
    case RouteId::kBlobGet:
      // A join token is not a host yet: it enrols first, then fetches inputs.
      if (is_host) return OkStatus();
      return allow({Role::kAdmin, Role::kSubmitter, Role::kViewer}, "enrol first; agents fetch with their own credential");
    case RouteId::kBlobPut:
      if (is_host) return OkStatus();
      return allow({Role::kAdmin, Role::kSubmitter}, "uploads need a submitter or admin token");
    case RouteId::kSubmitJob:
    case RouteId::kCancelJob:
      return allow({Role::kAdmin, Role::kSubmitter}, "it needs a submitter or admin token");
    case RouteId::kListJobs:
    case RouteId::kGetJob:
    case RouteId::kListTasks:
    case RouteId::kListHosts:
    case RouteId::kReport:
    case RouteId::kStats:
    case RouteId::kGetPolicy:
      if (is_host) return PermissionDenied("agents do not read the job list");
      return allow({Role::kAdmin, Role::kSubmitter, Role::kViewer}, "it needs a viewer, submitter or admin token");
    case RouteId::kCreateToken:
    case RouteId::kListTokens:
    case RouteId::kRevokeToken:
      return allow({Role::kAdmin}, "only an admin manages tokens");
    case RouteId::kRevokeHost:
      return allow({Role::kAdmin}, "only an admin revokes a host");
    case RouteId::kAudit:
      return allow({Role::kAdmin}, "only an admin reads the audit log");
    case RouteId::kBackup:
      return allow({Role::kAdmin}, "only an admin takes backups");
    case RouteId::kReleaseHost:
      return allow({Role::kAdmin}, "only an admin releases a quarantined host");
    case RouteId::kSetPolicy:
      return allow({Role::kAdmin}, "only an admin sets the owner policy");
  }
  return PermissionDenied("unknown route");
}

}  // namespace gleaner::server
