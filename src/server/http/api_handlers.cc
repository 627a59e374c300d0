#include "server/http/api_handlers.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "api/json.h"
#include "api/token_string.h"
#include "common/clock.h"
#include "common/secrets.h"
#include "common/sha256.h"
#include "server/auth/network_grant.h"
#include "server/backup/backup.h"
#include "server/blocking.h"

namespace gleaner::server {

namespace asio = boost::asio;

namespace {

// A scheduler answer that is a view (or an error) becomes a JSON response.
template <typename T>
Response JsonOrError(const Result<T>& r, int status = 200) {
  if (!r.ok()) return Response::FromError(r.error());
  return Response::Json(status, api::Encode(r.value()));
}

// A submitter sees and cancels only its own jobs; to it, the others do not exist.
bool MaySee(const Principal& who, const std::string& owner) {
  return who.role != api::Role::kSubmitter || owner == who.name;
}
Status CheckJobAccess(const Scheduler& s, int64_t job_id, const Principal& who) {
  auto job = s.GetJob(job_id);
  if (!job.ok() || MaySee(who, job->owner)) return job.status();
  return NotFound("job " + std::to_string(job_id) + " does not exist; `gleaner jobs` lists them");
}

// A handler's answer that needs no waiting.
asio::awaitable<Response> Ready(Response response) { co_return response; }

}  // namespace

asio::awaitable<Result<Admission>> ApiHandlers::Admit(const Request& request) {
  auto route = MatchRoute(request.method, request.path);
  if (!route.ok()) co_return route.error();
  Admission admission{*route, {}, route->id == RouteId::kBlobPut};
  if (!NeedsCredential(route->id)) co_return admission;
  if (request.bearer.empty()) {
    co_return Unauthenticated("this call needs a token: send 'Authorization: Bearer <token>' (the CLI reads "
                              "--token or GLEANER_TOKEN; the first admin token is in <data>/admin.token)");
  }
  std::string hash = Sha256Hex(request.bearer);
  auto authenticate = [hash](Scheduler& s, Batch&, int64_t now) { return s.Authenticate(hash, now); };
  auto who = co_await coordinator_.Run<Result<std::optional<Principal>>>(authenticate);
  Principal nobody;
  if (!who.ok()) {
    co_await AuditRefusal(request, nobody, who.error());
    co_return who.error();
  }
  if (!*who) {
    Error unknown = Unauthenticated(
        "the token is not valid on this server (unknown, or from another server); ask an admin for a new one");
    co_await AuditRefusal(request, nobody, unknown);
    co_return unknown;
  }
  Status allowed = Authorize(route->id, **who);
  if (!allowed.ok()) {
    co_await AuditRefusal(request, **who, allowed.error());
    co_return allowed.error();
  }
  admission.principal = **who;
  admission.credential_hash = hash;
  co_return admission;
}

asio::awaitable<void> ApiHandlers::AuditRefusal(const Request& request, const Principal& who, const Error& why) {
  if (!refusals_.Admit(request.peer, NowUnixMillis())) co_return;
  spdlog::warn("refused {} {} from {} ({}): {}", request.method, request.path, request.peer,
               who.name.empty() ? "no valid token" : who.name, why.message);
  api::AuditEvent event = AuditOf(who, request.peer, "auth.refused", request.method + " " + request.path, why.message, 0);
  event.outcome = "refused";
  auto record = [event](Scheduler&, Batch& out, int64_t now) {
    out.audit.push_back(event);
    out.audit.back().at = now;
    return true;
  };
  co_await coordinator_.Run<bool>(record);
}

asio::awaitable<Response> ApiHandlers::Handle(Request request, Admission admission) {
  auto handlers = HandlerTable();
  RouteId id = admission.route.id;
  auto it = std::find_if(handlers.begin(), handlers.end(), [id](const HandlerEntry& h) { return h.id == id; });
  if (it == handlers.end()) co_return Response::FromError(Internal("unhandled route"));
  co_return co_await it->handler(*this, request, admission);
}

// One entry per RouteId of Routes(); each hands the route's captures to its handler.
std::span<const ApiHandlers::HandlerEntry> ApiHandlers::HandlerTable() {
  using H = ApiHandlers;
  using Req = const Request&;
  using Adm = const Admission&;
  // clang-format off
  static const HandlerEntry kHandlers[] = {
    {RouteId::kHealth,      [](H&, Req, Adm) { return Ready(Response::Json(200, R"({"status":"ok"})")); }},
    {RouteId::kEnroll,      [](H& h, Req r, Adm a) { return h.Enroll(r, a); }},
    {RouteId::kSync,        [](H& h, Req r, Adm a) { return h.Sync(r, a.principal); }},
    {RouteId::kBlobHead,    [](H& h, Req, Adm a) { return Ready(h.HeadBlob(a.route.sha256)); }},
    {RouteId::kBlobGet,     [](H& h, Req r, Adm a) { return h.GetBlob(r, a.principal, a.route.sha256); }},
    {RouteId::kBlobPut,     [](H& h, Req r, Adm a) { return Ready(h.PutBlob(r, a.route.sha256)); }},
    {RouteId::kSubmitJob,   [](H& h, Req r, Adm a) { return h.SubmitJob(r, a.principal); }},
    {RouteId::kListJobs,    [](H& h, Req, Adm a) { return h.ListJobs(a.principal); }},
    {RouteId::kGetJob,      [](H& h, Req, Adm a) { return h.GetJob(a.route.job_id, a.principal); }},
    {RouteId::kListTasks,   [](H& h, Req, Adm a) { return h.ListTasks(a.route.job_id, a.principal); }},
    {RouteId::kCancelJob,   [](H& h, Req r, Adm a) { return h.CancelJob(r, a.route.job_id, a.principal); }},
    {RouteId::kListHosts,   [](H& h, Req, Adm) { return h.ListHosts(); }},
    {RouteId::kCreateToken, [](H& h, Req r, Adm a) { return h.CreateToken(r, a.principal); }},
    {RouteId::kListTokens,  [](H& h, Req, Adm) { return h.ListTokens(); }},
    {RouteId::kRevokeToken, [](H& h, Req r, Adm a) { return h.RevokeToken(r, a.route.token, a.principal); }},
    {RouteId::kRevokeHost,  [](H& h, Req r, Adm a) { return h.RevokeHost(r, a.route.host_id, a.principal); }},
    {RouteId::kAudit,       [](H& h, Req r, Adm) { return h.ReadAudit(r); }},
    {RouteId::kBackup,      [](H& h, Req r, Adm a) { return h.Backup(r, a.principal); }},
    {RouteId::kReleaseHost, [](H& h, Req r, Adm a) { return h.ReleaseHost(r, a.route.host_id, a.principal); }},
    {RouteId::kGetPolicy,   [](H& h, Req, Adm a) { return h.GetPolicy(a.route.host); }},
    {RouteId::kSetPolicy,   [](H& h, Req r, Adm a) { return h.SetPolicy(r, a.route.host, a.principal); }},
    {RouteId::kWhoAmI,      [](H&, Req, Adm a) {
                              return Ready(Response::Json(200, api::Encode(api::WhoAmI{a.principal.name, a.principal.role}))); }},
    {RouteId::kReport,      [](H& h, Req r, Adm a) { return h.console_.Report(r, a.principal); }},
    {RouteId::kStats,       [](H& h, Req r, Adm) { return Ready(h.console_.Stats(r)); }},
    {RouteId::kMetrics,     [](H& h, Req, Adm) { return h.console_.Metrics(); }},
    {RouteId::kAsset,       [](H& h, Req r, Adm) { return Ready(h.console_.Asset(r)); }},
  };
  // clang-format on
  return kHandlers;
}

Status ApiHandlers::CheckHandlers() {
  auto handlers = HandlerTable();
  for (const RouteSpec& route : Routes()) {
    auto n = std::count_if(handlers.begin(), handlers.end(), [&](const HandlerEntry& h) { return h.id == route.id; });
    if (n != 1) return Internal("route " + std::string(route.name) + " has " + std::to_string(n) + " handlers, not 1");
  }
  for (const HandlerEntry& h : handlers) {
    auto routes = Routes();
    if (std::none_of(routes.begin(), routes.end(), [&](const RouteSpec& r) { return r.id == h.id; })) {
      return Internal("a handler for route " + std::to_string(static_cast<int>(h.id)) + ", which is not in Routes()");
    }
  }
  return OkStatus();
}

Response ApiHandlers::HeadBlob(const std::string& sha256) const {
  if (!blobs_.Contains(sha256)) return Response::FromError(NotFound("no blob " + sha256));
  return Response{200, "", "application/octet-stream", "", {}};
}

asio::awaitable<Response> ApiHandlers::GetBlob(const Request& request, const Principal& who,
                                               const std::string& sha256) {
  Status readable = co_await AuthorizeBlobRead(request, who, sha256);
  if (!readable.ok()) {
    if (readable.code() == ErrorCode::kPermissionDenied) co_await AuditRefusal(request, who, readable.error());
    co_return Response::FromError(readable.error());
  }
  Response r = HeadBlob(sha256);
  if (r.status == 200) r.file_path = blobs_.PathOf(sha256);
  co_return r;
}

// HEAD only says whether to upload; reading content is for the tasks an agent
// runs now, and for a submitter's own jobs.
asio::awaitable<Status> ApiHandlers::AuthorizeBlobRead(const Request& request, const Principal& who,
                                                       const std::string& sha256) {
  if (who.host_id != 0) {
    auto may_read = [host = who.host_id, sha256](Scheduler& s, Batch&, int64_t) { return s.HostMayRead(host, sha256); };
    if (co_await coordinator_.Run<bool>(may_read)) co_return OkStatus();
    co_return PermissionDenied("an agent reads only the inputs and checkpoints of the tasks it runs now");
  }
  if (who.role == api::Role::kSubmitter) co_return co_await CheckSubmitterBlobRead(request, who, sha256);
  co_return OkStatus();
}

asio::awaitable<Response> ApiHandlers::ListJobs(const Principal& who) {
  auto list = [who](Scheduler& s, Batch&, int64_t) {
    api::JobList jobs = s.ListJobs();
    std::erase_if(jobs.jobs, [&](const api::JobView& j) { return !MaySee(who, j.owner); });
    return Response::Json(200, api::Encode(jobs));
  };
  co_return co_await coordinator_.Run<Response>(list);
}

asio::awaitable<Response> ApiHandlers::GetJob(int64_t job_id, const Principal& who) {
  auto get = [id = job_id, who](Scheduler& s, Batch&, int64_t) {
    Status access = CheckJobAccess(s, id, who);
    if (!access.ok()) return Response::FromError(access.error());
    return JsonOrError(s.GetJob(id));
  };
  co_return co_await coordinator_.Run<Response>(get);
}

asio::awaitable<Response> ApiHandlers::ListTasks(int64_t job_id, const Principal& who) {
  auto list = [id = job_id, who](Scheduler& s, Batch&, int64_t) {
    Status access = CheckJobAccess(s, id, who);
    if (!access.ok()) return Response::FromError(access.error());
    return JsonOrError(s.ListTasks(id));
  };
  co_return co_await coordinator_.Run<Response>(list);
}

asio::awaitable<Response> ApiHandlers::CancelJob(const Request& request, int64_t job_id, const Principal& who) {
  auto cancel = [id = job_id, who, peer = request.peer](Scheduler& s, Batch& out, int64_t now) {
    Status access = CheckJobAccess(s, id, who);
    if (!access.ok()) return Response::FromError(access.error());
    auto cancelled = s.Cancel(id, now, out);
    if (cancelled.ok()) out.audit.push_back(AuditOf(who, peer, "job.cancel", "job " + std::to_string(id), "", now));
    return JsonOrError(cancelled);
  };
  auto response = co_await coordinator_.Run<Response>(cancel);
  if (response.status == 200) spdlog::info("job {} cancelled by {}", job_id, who.name);
  co_return response;
}

asio::awaitable<Response> ApiHandlers::ListHosts() {
  auto list = [](Scheduler& s, Batch&, int64_t now) { return Response::Json(200, api::Encode(s.ListHosts(now))); };
  co_return co_await coordinator_.Run<Response>(list);
}

asio::awaitable<Response> ApiHandlers::ReleaseHost(const Request& request, int64_t host_id, const Principal& who) {
  auto release = [id = host_id, who, peer = request.peer](Scheduler& s, Batch& out, int64_t now) {
    Status st = s.ReleaseHost(id, now, out);
    if (!st.ok()) return Response::FromError(st.error());
    out.audit.push_back(AuditOf(who, peer, "host.release", "host " + std::to_string(id), "", now));
    return Response::Json(200, R"({"released":true})");
  };
  auto response = co_await coordinator_.Run<Response>(release);
  if (response.status == 200) spdlog::info("host {} released from quarantine by {}", host_id, who.name);
  co_return response;
}

asio::awaitable<Response> ApiHandlers::GetPolicy(const std::string& host) {
  auto get = [host](Scheduler& s, Batch&, int64_t) { return JsonOrError(s.GetPolicy(host)); };
  co_return co_await coordinator_.Run<Response>(get);
}

asio::awaitable<Response> ApiHandlers::SetPolicy(const Request& request, const std::string& host,
                                                 const Principal& who) {
  auto policy = api::Decode<api::Policy>(request.body);
  if (!policy.ok()) co_return Response::FromError(policy.error());
  auto set = [host, policy = *policy, who, peer = request.peer, body = request.body](Scheduler& s, Batch& out,
                                                                                    int64_t now) -> Response {
    if (Status st = s.SetPolicy(host, policy, out); !st.ok()) return Response::FromError(st.error());
    out.audit.push_back(AuditOf(who, peer, "policy.set", host.empty() ? "all hosts" : "host " + host, body, now));
    return JsonOrError(s.GetPolicy(host));
  };
  auto response = co_await coordinator_.Run<Response>(set);
  if (response.status == 200) spdlog::info("owner policy for {} set by {}: {}", host.empty() ? "all hosts" : host, who.name, request.body);
  co_return response;
}

asio::awaitable<Response> ApiHandlers::Enroll(const Request& request, const Admission& admission) {
  auto req = api::Decode<api::EnrollRequest>(request.body);
  if (!req.ok()) co_return Response::FromError(req.error());
  if (req->facts.hostname.empty()) co_return Response::FromError(InvalidArgument("host facts need a hostname"));
  std::string credential = NewSecret("gla_");
  std::string hash = Sha256Hex(credential);
  auto enroll = [req = *req, hash, join = admission.credential_hash, who = admission.principal,
                 peer = request.peer](Scheduler& s, Batch& out, int64_t now) -> Result<int64_t> {
    if (Status used = s.UseJoinToken(join, now, out); !used.ok()) return used.error();
    int64_t id = s.Enroll(req, hash, now, out);
    out.audit.push_back(AuditOf(who, peer, "host.enrol", req.facts.hostname + " (host " + std::to_string(id) + ")",
                                std::to_string(req.slots) + " slots", now));
    return id;
  };
  auto host_id = co_await coordinator_.Run<Result<int64_t>>(enroll);
  if (!host_id.ok()) co_return Response::FromError(host_id.error());
  spdlog::info("host {} enrolled as {} from {} ({} slots)", req->facts.hostname, *host_id, request.peer, req->slots);
  co_return Response::Json(201, api::Encode(api::EnrollResponse{*host_id, credential}));
}

asio::awaitable<Response> ApiHandlers::Sync(const Request& request, const Principal& who) {
  auto req = api::Decode<api::SyncRequest>(request.body);
  if (!req.ok()) co_return Response::FromError(req.error());
  auto sync = [req = std::move(*req), host = who.host_id](Scheduler& s, Batch& out, int64_t now) {
    return JsonOrError(s.Sync(host, req, now, out));
  };
  co_return co_await coordinator_.Run<Response>(sync);
}

asio::awaitable<Response> ApiHandlers::SubmitJob(const Request& request, const Principal& who) {
  auto spec = api::Decode<api::JobSpec>(request.body);
  if (!spec.ok()) co_return Response::FromError(spec.error());
  if (Status granted = CheckNetworkGrant(who, *spec); !granted.ok()) {
    co_await AuditRefusal(request, who, granted.error());
    co_return Response::FromError(granted.error());
  }
  for (const auto& input : spec->inputs) {
    if (IsSha256Hex(input.sha256) && !blobs_.Contains(input.sha256)) {
      co_return Response::FromError(InvalidArgument("input '" + input.name + "' (" + input.sha256 +
                                                    ") was not uploaded; PUT it to /api/v1/blobs/<sha256> first"));
    }
  }
  auto submit = [spec = std::move(*spec), who, peer = request.peer](Scheduler& s, Batch& out,
                                                                     int64_t now) -> Result<api::SubmitResponse> {
    auto id = s.Submit(spec, who.name, now, out);
    if (!id.ok()) return id.error();
    // A grant's every use is on record, durable with the job itself.
    if (spec.network) {
      out.audit.push_back(AuditOf(who, peer, "job.network", "job " + std::to_string(*id),
                                  "tasks get a network of their own (user-mode NAT; no host loopback, no LAN)", now));
    }
    return api::SubmitResponse{*id, s.NoHostCanRun(*id)};
  };
  auto submitted = co_await coordinator_.Run<Result<api::SubmitResponse>>(submit);
  if (!submitted.ok()) co_return Response::FromError(submitted.error());
  spdlog::info("job {} submitted by {}", submitted->job_id, who.name);
  co_return Response::Json(201, api::Encode(*submitted));
}

asio::awaitable<Response> ApiHandlers::CreateToken(const Request& request, const Principal& who) {
  auto req = api::Decode<api::TokenCreateRequest>(request.body);
  if (!req.ok()) co_return Response::FromError(req.error());
  std::string token = NewSecret("glt_");
  std::string hash = Sha256Hex(token);
  // A job belongs to its token's name, so unnamed tokens get names of their own (TokenBook).
  auto add = [hash, req = *req, who, peer = request.peer](Scheduler& s, Batch& out, int64_t now) {
    auto view = s.CreateToken(hash, req, who.name, now, out);
    if (view.ok()) {
      std::string limits = std::string(api::RoleName(view->role)) + " token '" + view->name + "'" +
                           (view->expires_at ? ", expires " + FormatUtc(view->expires_at) : ", never expires") +
                           (view->max_uses ? ", " + std::to_string(view->max_uses) + " uses" : "") +
                           (view->allow_network ? ", network granted" : "");
      out.audit.push_back(AuditOf(who, peer, "token.create", view->id, limits, now));
    }
    return view;
  };
  auto view = co_await coordinator_.Run<Result<api::TokenView>>(add);
  if (!view.ok()) co_return Response::FromError(view.error());
  spdlog::info("{} token '{}' ({}) created by {}", api::RoleName(view->role), view->name, view->id, who.name);
  std::string token_string = api::FormatTokenString({token, advertised_url_, ca_sha256_});
  co_return Response::Json(201, api::Encode(api::TokenCreateResponse{token_string, view->role, *view}));
}

asio::awaitable<Response> ApiHandlers::ListTokens() {
  auto list = [](Scheduler& s, Batch&, int64_t now) { return api::TokenList{s.tokens().List(now)}; };
  auto tokens = co_await coordinator_.Run<api::TokenList>(list);
  co_return Response::Json(200, api::Encode(tokens));
}

asio::awaitable<Response> ApiHandlers::RevokeToken(const Request& request, const std::string& id,
                                                   const Principal& who) {
  // The id or name arrives as a path segment, percent-encoded.
  auto decoded = QueryParams("t=" + id);
  std::string id_or_name = decoded.empty() ? id : decoded.front().second;
  auto revoke = [id_or_name, who, peer = request.peer](Scheduler& s, Batch& out, int64_t now) {
    auto view = s.RevokeToken(id_or_name, now, out);
    if (view.ok()) {
      out.audit.push_back(AuditOf(who, peer, "token.revoke", view->id, api::RoleName(view->role) + std::string(" token '") +
                                                                             view->name + "'", now));
    }
    return view;
  };
  auto view = co_await coordinator_.Run<Result<api::TokenView>>(revoke);
  if (view.ok()) spdlog::info("token '{}' ({}) revoked by {}", view->name, view->id, who.name);
  co_return JsonOrError(view);
}

asio::awaitable<Response> ApiHandlers::RevokeHost(const Request& request, int64_t host_id, const Principal& who) {
  auto revoke = [host_id, who, peer = request.peer](Scheduler& s, Batch& out, int64_t now) {
    auto view = s.RevokeHost(host_id, now, out);
    if (view.ok()) {
      out.audit.push_back(AuditOf(who, peer, "host.revoke",
                                  view->facts.hostname + " (host " + std::to_string(host_id) + ")",
                                  "its credential is refused from now on; its attempts were requeued", now));
    }
    return view;
  };
  auto view = co_await coordinator_.Run<Result<api::HostView>>(revoke);
  if (view.ok()) spdlog::info("host {} ({}) revoked by {}", view->facts.hostname, host_id, who.name);
  co_return JsonOrError(view);
}

asio::awaitable<Response> ApiHandlers::ReadAudit(const Request& request) {
  auto query = ParseAuditQuery(request.query, NowUnixMillis());
  if (!query.ok()) co_return Response::FromError(query.error());
  auto events = co_await reports_.Audit(*query);
  if (!events.ok()) co_return Response::FromError(events.error());
  co_return Response::Json(200, api::Encode(api::AuditList{std::move(*events)}));
}

asio::awaitable<Response> ApiHandlers::Backup(const Request& request, const Principal& who) {
  auto req = api::Decode<api::BackupRequest>(request.body);
  if (!req.ok()) co_return Response::FromError(req.error());
  if (req->to.empty() || req->to.front() != '/') {
    co_return Response::FromError(
        InvalidArgument("the backup directory must be an absolute path on the server's host, not '" + req->to + "'"));
  }
  spdlog::info("backup to {} started by {}", req->to, who.name);
  auto note = [who, peer = request.peer, to = req->to](Scheduler&, Batch& out, int64_t now) {
    out.audit.push_back(AuditOf(who, peer, "backup", to, "", now));
    return true;
  };
  co_await coordinator_.Run<bool>(note);
  auto take = [&from = backups_, to = req->to] { return TakeBackup(from, to); };
  auto summary = co_await RunBlocking<Result<api::BackupResponse>>(take);
  if (!summary.ok()) co_return Response::FromError(summary.error());
  spdlog::info("backup to {} done: {} jobs, {} blobs", summary->dir, summary->jobs, summary->blobs);
  co_return Response::Json(200, api::Encode(*summary));
}

// A submitter reads a blob as a file of one of its own jobs, named in the
// query (?job=ID&task=INDEX; inputs need only the job), so knowing a hash is
// not enough to read somebody else's results.
asio::awaitable<Status> ApiHandlers::CheckSubmitterBlobRead(const Request& request, const Principal& who,
                                                            const std::string& sha256) {
  std::optional<int64_t> job_id, index;
  for (const auto& [key, value] : QueryParams(request.query)) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    bool whole = ec == std::errc() && end == value.data() + value.size() && n >= 0;
    if ((key == "job" || key == "task") && !whole) {
      co_return InvalidArgument(key + "='" + value + "' must be a whole number, 0 or more");
    }
    if (key == "job") job_id = n;
    if (key == "task") index = n;
  }
  if (!job_id) {
    co_return PermissionDenied("a submitter reads blobs as files of its own jobs: add ?job=ID&task=INDEX "
                               "(`gleaner fetch` and the console do)");
  }
  auto holds = [job = *job_id, index, sha256, who](Scheduler& s, Batch&, int64_t) -> Status {
    GLEANER_RETURN_IF_ERROR(CheckJobAccess(s, job, who));
    if (s.JobHoldsBlob(job, index, sha256)) return OkStatus();
    return PermissionDenied("blob " + sha256 + " is not a file of job " + std::to_string(job) +
                            (index ? " task " + std::to_string(*index) : std::string(" (an input)")));
  };
  co_return co_await coordinator_.Run<Status>(holds);
}

Response ApiHandlers::PutBlob(const Request& request, const std::string& sha256) {
  Status st = blobs_.Commit(request.body_file, sha256);
  if (!st.ok()) return Response::FromError(st.error());
  return Response::Json(201, R"({"stored":true})");
}

}  // namespace gleaner::server
