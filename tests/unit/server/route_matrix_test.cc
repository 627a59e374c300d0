// The role x endpoint matrix: who may call what, written out by hand from the
// security model (docs/security.md), not derived from routes.cc. A new
// endpoint fails EveryRouteIsInTheTable until it gets a row here.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "server/http/routes.h"

namespace gleaner::server {
namespace {

// Callers: the four roles, an agent that enrolled (its own credential, a host
// id) apart from a join token, and no credential at all.
enum Caller { kAdmin, kSubmitter, kViewer, kJoinToken, kHost, kNone, kCallers };
const char* const kCallerNames[] = {"admin", "submitter", "viewer", "agent join token", "enrolled agent", "no token"};

Principal PrincipalOf(Caller c) {
  switch (c) {
    case kAdmin: return {api::Role::kAdmin, "root", 0};
    case kSubmitter: return {api::Role::kSubmitter, "alice", 0};
    case kViewer: return {api::Role::kViewer, "vic", 0};
    case kJoinToken: return {api::Role::kAgent, "join", 0};
    default: return {api::Role::kAgent, "pc1", 7};
  }
}

// Y: allowed. N: 403 with a reason. (no token: 401 unless the route is public)
struct Row {
  RouteId id;
  const char* who;  // admin, submitter, viewer, join token, enrolled agent, no token
};
constexpr char Y = 'Y', N = 'N';
// clang-format off
const Row kMatrix[] = {
  //                            adm sub vie joi hos none
  {RouteId::kHealth,      "YYYYYY"},  // load balancers probe without a token
  {RouteId::kMetrics,     "YYYYYY"},  // counts only
  {RouteId::kAsset,       "YYYYYY"},  // the console's files carry no data
  {RouteId::kWhoAmI,      "YYYYYN"},
  {RouteId::kEnroll,      "NNNYNN"},  // only a join token enrols, once
  {RouteId::kSync,        "NNNNYN"},  // only an enrolled agent reports work
  {RouteId::kBlobHead,    "YYYNYN"},  // a join token is not a host yet
  {RouteId::kBlobGet,     "YYYNYN"},
  {RouteId::kBlobPut,     "YYNNYN"},  // viewers only read
  {RouteId::kSubmitJob,   "YYNNNN"},
  {RouteId::kCancelJob,   "YYNNNN"},  // a submitter: its own jobs (api_handlers)
  {RouteId::kListJobs,    "YYYNNN"},  // a submitter: its own jobs (api_handlers)
  {RouteId::kGetJob,      "YYYNNN"},
  {RouteId::kListTasks,   "YYYNNN"},
  {RouteId::kListHosts,   "YYYNNN"},
  {RouteId::kReport,      "YYYNNN"},
  {RouteId::kStats,       "YYYNNN"},
  {RouteId::kGetPolicy,   "YYYNNN"},
  {RouteId::kSetPolicy,   "YNNNNN"},
  {RouteId::kCreateToken, "YNNNNN"},
  {RouteId::kListTokens,  "YNNNNN"},
  {RouteId::kRevokeToken, "YNNNNN"},
  {RouteId::kRevokeHost,  "YNNNNN"},
  {RouteId::kReleaseHost, "YNNNNN"},
  {RouteId::kAudit,       "YNNNNN"},
  {RouteId::kBackup,      "YNNNNN"},
};
// clang-format on

TEST(RouteMatrix, EveryRouteIsInTheTable) {
  std::map<int, const Row*> rows;
  for (const Row& row : kMatrix) {
    EXPECT_TRUE(rows.emplace(static_cast<int>(row.id), &row).second) << RouteName(row.id) << " twice";
  }
  // RouteName knows every RouteId there is; "unknown" past the last one.
  int known = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string name = RouteName(static_cast<RouteId>(i));
    if (name == "unknown") continue;
    ++known;
    EXPECT_TRUE(rows.count(i)) << "route " << name << " has no row in kMatrix: decide who may call it";
  }
  EXPECT_EQ(known, static_cast<int>(rows.size()));
}

TEST(RouteMatrix, EachCallerGetsWhatTheTableSays) {
  for (const Row& row : kMatrix) {
    ASSERT_EQ(std::string(row.who).size(), static_cast<size_t>(kCallers)) << RouteName(row.id);
    for (int c = 0; c < kCallers; ++c) {
      bool expected = row.who[c] == Y;
      ASSERT_TRUE(row.who[c] == Y || row.who[c] == N);
      std::string where = std::string(RouteName(row.id)) + " for " + kCallerNames[c];
      if (c == kNone) {
        // Without a token the listener answers 401 before Authorize.
        EXPECT_EQ(!NeedsCredential(row.id), expected) << where;
        continue;
      }
      Status st = Authorize(row.id, PrincipalOf(static_cast<Caller>(c)));
      if (expected) {
        EXPECT_TRUE(st.ok()) << where << ": " << st.message();
      } else {
        EXPECT_EQ(st.code(), ErrorCode::kPermissionDenied) << where;
        EXPECT_GT(st.message().size(), 20u) << where << ": a refusal says why";
      }
    }
  }
}

TEST(RouteMatrix, RefusalsNameTheRoleInGoodEnglish) {
  Status st = Authorize(RouteId::kEnroll, PrincipalOf(kAdmin));
  EXPECT_EQ(st.message().rfind("an admin token may not do this", 0), 0u) << st.message();
  st = Authorize(RouteId::kBackup, PrincipalOf(kViewer));
  EXPECT_EQ(st.message().rfind("a viewer token may not do this", 0), 0u) << st.message();
}

}  // namespace
}  // namespace gleaner::server
