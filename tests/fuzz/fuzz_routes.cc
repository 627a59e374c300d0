// Fuzzes routing and authorisation: "METHOD\nPATH" in, a route or a clear
// error out. Every route is a row of the table for that method and has a
// name, every role either may call it or gets a reason, and every error
// becomes a JSON body that decodes again.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "api/json.h"
#include "common/sha256.h"
#include "server/http/request.h"
#include "server/http/routes.h"

namespace {

using namespace gleaner;
using namespace gleaner::server;

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "%s\n", what);
  std::abort();
}

void CheckErrorBody(const Error& error) {
  Response r = Response::FromError(error);
  Require(r.status >= 400 && r.status < 600, "an error is not a 4xx or 5xx");
  auto body = api::Decode<api::ErrorBody>(r.body);
  Require(body.ok() && !body->message.empty() && body->code == ErrorCodeName(error.code),
          "an error body does not decode to its code and message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string method = newline == std::string::npos ? "GET" : input.substr(0, newline);
  std::string path = newline == std::string::npos ? input : input.substr(newline + 1);

  auto route = MatchRoute(method, path);
  if (!route.ok()) {
    Require(route.error().code == ErrorCode::kNotFound || route.error().code == ErrorCode::kInvalidArgument,
            "MatchRoute failed with an unexpected code");
    CheckErrorBody(route.error());
    return 0;
  }
  Require(std::string(RouteName(route->id)) != "unknown", "a route without a name");
  auto rows = Routes();
  Require(std::any_of(rows.begin(), rows.end(), [&](const RouteSpec& r) { return r.id == route->id && method == r.method; }),
          "a route matched for a method none of its rows has");
  switch (route->id) {
    case RouteId::kBlobHead:
    case RouteId::kBlobGet:
    case RouteId::kBlobPut:
      Require(IsSha256Hex(route->sha256), "a blob route without a blob address");
      break;
    case RouteId::kGetJob:
    case RouteId::kListTasks:
    case RouteId::kCancelJob:
      Require(route->job_id > 0, "a job route without a job id");
      break;
    case RouteId::kReleaseHost:
    case RouteId::kRevokeHost:
      Require(route->host_id > 0, "a host route without a host id");
      break;
    default:
      break;
  }
  for (api::Role role : {api::Role::kAdmin, api::Role::kSubmitter, api::Role::kViewer, api::Role::kAgent}) {
    for (int64_t host_id : {int64_t{0}, int64_t{7}}) {
      Status allowed = Authorize(route->id, Principal{role, "fuzz", host_id});
      if (allowed.ok()) continue;
      Require(allowed.code() == ErrorCode::kPermissionDenied, "a refusal that is not kPermissionDenied");
      CheckErrorBody(allowed.error());
    }
  }
  return 0;
}
