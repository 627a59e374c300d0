#include "server/http/routes.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace gleaner::server
