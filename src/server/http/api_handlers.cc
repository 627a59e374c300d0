#include "server/http/api_handlers.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "api/json.h"
#include "common/secrets.h"
#include "common/sha256.h"
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
  auto authenticate = [hash](Scheduler& s, Batch&, int64_t) { return s.Authenticate(hash); };
  auto who = co_await coordinator_.Run<std::optional<Principal>>(authenticate);
  if (!who) co_return Unauthenticated("the token is not valid on this server; ask an admin for a new one");
  Status allowed = Authorize(route->id, *who);
  if (!allowed.ok()) co_return allowed.error();
  admission.principal = *who;
  co_return admission;
}

asio::awaitable<Response> ApiHandlers::Handle(Request request, Admission admission) {
  const Route& route = admission.route;
  const Principal& who = admission.principal;
  switch (route.id) {
    case RouteId::kHealth:
      co_return Response::Json(200, R"({"status":"ok"})");
    case RouteId::kEnroll:
      co_return co_await Enroll(request);
    case RouteId::kSync:
      co_return co_await Sync(request, who);
    case RouteId::kBlobHead:
    case RouteId::kBlobGet: {
      if (!blobs_.Contains(route.sha256)) co_return Response::FromError(NotFound("no blob " + route.sha256));
      Response r{200, "", "application/octet-stream", "", {}};
      if (route.id == RouteId::kBlobGet) r.file_path = blobs_.PathOf(route.sha256);
      co_return r;
    }
    case RouteId::kBlobPut:
      co_return PutBlob(request, route.sha256);
    case RouteId::kSubmitJob:
      co_return co_await SubmitJob(request, who);
    case RouteId::kListJobs: {
      auto list = [who](Scheduler& s, Batch&, int64_t) {
        api::JobList jobs = s.ListJobs();
        std::erase_if(jobs.jobs, [&](const api::JobView& j) { return !MaySee(who, j.owner); });
        return Response::Json(200, api::Encode(jobs));
      };
      co_return co_await coordinator_.Run<Response>(list);
    }
    case RouteId::kGetJob: {
      auto get = [id = route.job_id, who](Scheduler& s, Batch&, int64_t) {
        Status access = CheckJobAccess(s, id, who);
        if (!access.ok()) return Response::FromError(access.error());
        return JsonOrError(s.GetJob(id));
      };
      co_return co_await coordinator_.Run<Response>(get);
    }
    case RouteId::kListTasks: {
      auto list = [id = route.job_id, who](Scheduler& s, Batch&, int64_t) {
        Status access = CheckJobAccess(s, id, who);
        if (!access.ok()) return Response::FromError(access.error());
        return JsonOrError(s.ListTasks(id));
      };
      co_return co_await coordinator_.Run<Response>(list);
    }
    case RouteId::kCancelJob: {
      auto cancel = [id = route.job_id, who](Scheduler& s, Batch& out, int64_t now) {
        Status access = CheckJobAccess(s, id, who);
        if (!access.ok()) return Response::FromError(access.error());
        return JsonOrError(s.Cancel(id, now, out));
      };
      auto response = co_await coordinator_.Run<Response>(cancel);
      if (response.status == 200) spdlog::info("job {} cancelled by {}", route.job_id, who.name);
      co_return response;
    }
    case RouteId::kListHosts: {
      auto list = [](Scheduler& s, Batch&, int64_t now) { return Response::Json(200, api::Encode(s.ListHosts(now))); };
      co_return co_await coordinator_.Run<Response>(list);
    }
    case RouteId::kCreateToken:
      co_return co_await CreateToken(request, who);
    case RouteId::kBackup:
      co_return co_await Backup(request, who);
    case RouteId::kReleaseHost: {
      auto release = [id = route.host_id](Scheduler& s, Batch& out, int64_t now) {
        Status st = s.ReleaseHost(id, now, out);
        return st.ok() ? Response::Json(200, R"({"released":true})") : Response::FromError(st.error());
      };
      auto response = co_await coordinator_.Run<Response>(release);
      if (response.status == 200) spdlog::info("host {} released from quarantine by {}", route.host_id, who.name);
      co_return response;
    }
    case RouteId::kGetPolicy: {
      auto get = [host = route.host](Scheduler& s, Batch&, int64_t) { return JsonOrError(s.GetPolicy(host)); };
      co_return co_await coordinator_.Run<Response>(get);
    }
    case RouteId::kSetPolicy:
      co_return co_await SetPolicy(request, route.host, who);
    case RouteId::kWhoAmI:
      co_return Response::Json(200, api::Encode(api::WhoAmI{who.name, who.role}));
    case RouteId::kReport:
    case RouteId::kStats:
    case RouteId::kMetrics:
    case RouteId::kAsset:
      co_return co_await console_.Handle(request, route, who);
  }
  co_return Response::FromError(Internal("unhandled route"));
}

asio::awaitable<Response> ApiHandlers::SetPolicy(const Request& request, const std::string& host,
                                                 const Principal& who) {
  auto policy = api::Decode<api::Policy>(request.body);
  if (!policy.ok()) co_return Response::FromError(policy.error());
  auto set = [host, policy = *policy](Scheduler& s, Batch& out, int64_t) -> Response {
    if (Status st = s.SetPolicy(host, policy, out); !st.ok()) return Response::FromError(st.error());
    return JsonOrError(s.GetPolicy(host));
  };
  auto response = co_await coordinator_.Run<Response>(set);
  if (response.status == 200) spdlog::info("owner policy for {} set by {}: {}", host.empty() ? "all hosts" : host, who.name, request.body);
  co_return response;
}

asio::awaitable<Response> ApiHandlers::Enroll(const Request& request) {
  auto req = api::Decode<api::EnrollRequest>(request.body);
  if (!req.ok()) co_return Response::FromError(req.error());
  if (req->facts.hostname.empty()) co_return Response::FromError(InvalidArgument("host facts need a hostname"));
  std::string credential = NewSecret("gla_");
  std::string hash = Sha256Hex(credential);
  auto enroll = [req = *req, hash](Scheduler& s, Batch& out, int64_t now) { return s.Enroll(req, hash, now, out); };
  auto host_id = co_await coordinator_.Run<int64_t>(enroll);
  spdlog::info("host {} enrolled as {} from {} ({} slots)", req->facts.hostname, host_id, request.peer, req->slots);
  co_return Response::Json(201, api::Encode(api::EnrollResponse{host_id, credential}));
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
  for (const auto& input : spec->inputs) {
    if (IsSha256Hex(input.sha256) && !blobs_.Contains(input.sha256)) {
      co_return Response::FromError(InvalidArgument("input '" + input.name + "' (" + input.sha256 +
                                                    ") was not uploaded; PUT it to /api/v1/blobs/<sha256> first"));
    }
  }
  auto submit = [spec = std::move(*spec), owner = who.name](Scheduler& s, Batch& out, int64_t now) {
    return s.Submit(spec, owner, now, out);
  };
  auto id = co_await coordinator_.Run<Result<int64_t>>(submit);
  if (!id.ok()) co_return Response::FromError(id.error());
  spdlog::info("job {} submitted by {}", *id, who.name);
  co_return Response::Json(201, api::Encode(api::SubmitResponse{*id}));
}

asio::awaitable<Response> ApiHandlers::CreateToken(const Request& request, const Principal& who) {
  auto req = api::Decode<api::TokenCreateRequest>(request.body);
  if (!req.ok()) co_return Response::FromError(req.error());
  std::string token = NewSecret("glt_");
  std::string hash = Sha256Hex(token);
  // A job belongs to its token's name, so unnamed tokens get names of their own.
  std::string name = req->name.empty() ? std::string(api::RoleName(req->role)) + "-" + hash.substr(0, 8) : req->name;
  auto add = [hash, role = req->role, name](Scheduler& s, Batch& out, int64_t now) {
    s.AddToken(hash, role, name, now, out);
    return true;
  };
  co_await coordinator_.Run<bool>(add);
  spdlog::info("{} token '{}' created by {}", api::RoleName(req->role), name, who.name);
  co_return Response::Json(201, api::Encode(api::TokenCreateResponse{token, req->role}));
}

asio::awaitable<Response> ApiHandlers::Backup(const Request& request, const Principal& who) {
  auto req = api::Decode<api::BackupRequest>(request.body);
  if (!req.ok()) co_return Response::FromError(req.error());
  if (req->to.empty() || req->to.front() != '/') {
    co_return Response::FromError(
        InvalidArgument("the backup directory must be an absolute path on the server's host, not '" + req->to + "'"));
  }
  spdlog::info("backup to {} started by {}", req->to, who.name);
  auto take = [db = db_path_, &blobs = blobs_, to = req->to] { return TakeBackup(db, blobs, to); };
  auto summary = co_await RunBlocking<Result<api::BackupResponse>>(take);
  if (!summary.ok()) co_return Response::FromError(summary.error());
  spdlog::info("backup to {} done: {} jobs, {} blobs", summary->dir, summary->jobs, summary->blobs);
  co_return Response::Json(200, api::Encode(*summary));
}

Response ApiHandlers::PutBlob(const Request& request, const std::string& sha256) {
  Status st = blobs_.Commit(request.body_file, sha256);
  if (!st.ok()) return Response::FromError(st.error());
  return Response::Json(201, R"({"stored":true})");
}

}  // namespace gleaner::server
