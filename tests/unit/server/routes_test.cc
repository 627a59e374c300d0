#include "server/http/routes.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "server/http/api_handlers.h"

namespace gleaner::server {
namespace {

const std::string kSha(64, 'a');

TEST(MatchRoute, KnowsEveryEndpoint) {
  EXPECT_EQ(MatchRoute("GET", "/healthz")->id, RouteId::kHealth);
  EXPECT_EQ(MatchRoute("POST", "/api/v1/agents/enroll")->id, RouteId::kEnroll);
  EXPECT_EQ(MatchRoute("POST", "/api/v1/agents/sync")->id, RouteId::kSync);
  EXPECT_EQ(MatchRoute("PUT", "/api/v1/blobs/" + kSha)->id, RouteId::kBlobPut);
  EXPECT_EQ(MatchRoute("HEAD", "/api/v1/blobs/" + kSha)->sha256, kSha);
  EXPECT_EQ(MatchRoute("POST", "/api/v1/jobs")->id, RouteId::kSubmitJob);
  EXPECT_EQ(MatchRoute("GET", "/api/v1/jobs/")->id, RouteId::kListJobs);
  EXPECT_EQ(MatchRoute("GET", "/api/v1/jobs/12")->job_id, 12);
  EXPECT_EQ(MatchRoute("GET", "/api/v1/jobs/12/tasks")->id, RouteId::kListTasks);
  EXPECT_EQ(MatchRoute("POST", "/api/v1/jobs/12/cancel")->id, RouteId::kCancelJob);
  EXPECT_EQ(MatchRoute("GET", "/api/v1/hosts")->id, RouteId::kListHosts);
  EXPECT_EQ(MatchRoute("POST", "/api/v1/tokens")->id, RouteId::kCreateToken);
}

TEST(MatchRoute, ExplainsWhatIsWrong) {
  EXPECT_EQ(MatchRoute("GET", "/api/v1/nothing").error().code, ErrorCode::kNotFound);
  auto method = MatchRoute("DELETE", "/api/v1/jobs");
  EXPECT_EQ(method.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(method.error().message.find("use GET or POST"), std::string::npos);
  EXPECT_NE(MatchRoute("GET", "/api/v1/jobs/abc").error().message.find("not a job id"), std::string::npos);
  EXPECT_NE(MatchRoute("GET", "/api/v1/jobs/-1").error().message.find("not a job id"), std::string::npos);
  EXPECT_NE(MatchRoute("GET", "/api/v1/blobs/..%2Fetc").error().message.find("not a blob address"),
            std::string::npos);
}

TEST(Authorize, RolesMeetEndpoints) {
  Principal admin{api::Role::kAdmin, "admin", 0};
  Principal viewer{api::Role::kViewer, "v", 0};
  Principal submitter{api::Role::kSubmitter, "s", 0};
  Principal join{api::Role::kAgent, "join", 0};
  Principal host{api::Role::kAgent, "pc1", 7};
  EXPECT_TRUE(Authorize(RouteId::kCreateToken, admin).ok());
  EXPECT_EQ(Authorize(RouteId::kCreateToken, submitter).code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(RouteId::kSubmitJob, submitter).ok());
  EXPECT_EQ(Authorize(RouteId::kSubmitJob, viewer).code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(RouteId::kListJobs, viewer).ok());
  EXPECT_TRUE(Authorize(RouteId::kEnroll, join).ok());
  EXPECT_EQ(Authorize(RouteId::kSync, join).code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(RouteId::kSync, host).ok());
  EXPECT_TRUE(Authorize(RouteId::kBlobPut, host).ok());
  EXPECT_EQ(Authorize(RouteId::kEnroll, host).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(Authorize(RouteId::kListJobs, host).code(), ErrorCode::kPermissionDenied);
  EXPECT_FALSE(NeedsCredential(RouteId::kHealth));
  EXPECT_TRUE(NeedsCredential(RouteId::kBlobGet));
}

// A path that fills each capture of `pattern` with a value it accepts.
std::string SamplePath(std::string pattern) {
  const std::pair<const char*, std::string> kSamples[] = {
      {"{job}", "12"}, {"{host_id}", "7"}, {"{sha256}", kSha}, {"{host}", "pc1"}, {"{token}", "tok"}, {"{file}", "app.js"}};
  for (const auto& [capture, value] : kSamples) {
    if (auto at = pattern.find(capture); at != std::string::npos) pattern.replace(at, std::string(capture).size(), value);
  }
  return pattern;
}

TEST(Routes, EachRowIsMatchedByItsOwnPattern) {
  for (const RouteSpec& spec : Routes()) {
    std::string path = SamplePath(spec.pattern);
    EXPECT_EQ(path.find('{'), std::string::npos) << spec.pattern << ": a capture MatchRoute does not know";
    auto route = MatchRoute(spec.method, path);
    ASSERT_TRUE(route.ok()) << spec.method << " " << path << ": " << route.error().message;
    EXPECT_EQ(route->id, spec.id) << spec.method << " " << path;
  }
}

TEST(Routes, EveryRouteHasOneUniqueNameAndOneAccess) {
  std::map<std::string, RouteId> ids;
  std::set<std::pair<std::string, std::string>> method_patterns;
  for (const RouteSpec& spec : Routes()) {
    EXPECT_TRUE(method_patterns.emplace(spec.method, spec.pattern).second) << spec.method << " " << spec.pattern << " twice";
    auto [it, fresh] = ids.emplace(spec.name, spec.id);
    EXPECT_EQ(it->second, spec.id) << "two routes are named " << spec.name;
    // Rows of one route (several patterns or methods) share its name and access.
    const RouteSpec& first = SpecOf(spec.id);
    EXPECT_STREQ(first.name, spec.name) << spec.pattern;
    EXPECT_EQ(first.access.callers, spec.access.callers) << spec.pattern;
    EXPECT_STREQ(first.access.refusal, spec.access.refusal) << spec.pattern;
    EXPECT_STREQ(RouteName(spec.id), spec.name);
    EXPECT_NE(spec.access.callers, 0) << spec.name << ": nobody may call it";
  }
}

TEST(Routes, EveryRouteHasExactlyOneHandler) {
  Status st = ApiHandlers::CheckHandlers();
  EXPECT_TRUE(st.ok()) << st.message();
}

}  // namespace
}  // namespace gleaner::server
