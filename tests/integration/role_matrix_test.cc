// The role x endpoint matrix against a real server over HTTP: every route
// called with a token of each role (and none) answers 2xx, 403 with a JSON
// reason, or 401 — as the server's route table (server/http/routes.h) says,
// narrowed where a handler looks further (reading blobs). The table itself is
// checked against the security model in tests/unit/server/route_matrix_test.cc.
// And a submitter sees, cancels and lists only its own jobs.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "api/json.h"
#include "client/http_client.h"
#include "common/sha256.h"
#include "server/http/routes.h"
#include "harness.h"

namespace gleaner::testing {
namespace {

enum Caller { kAdmin, kSubmitter, kViewer, kJoinToken, kHost, kNone, kCallers };
const char* const kCallerNames[] = {"admin", "submitter", "viewer", "agent join token", "enrolled agent", "no token"};
constexpr server::Callers kCallerBits[] = {server::kCallerAdmin,     server::kCallerSubmitter, server::kCallerViewer,
                                           server::kCallerJoinToken, server::kCallerHost,      server::kCallerAnyone};

// "YYYNYN": who the route table lets call `id`, in the order of Caller.
std::string TableSays(server::RouteId id) {
  std::string who;
  for (server::Callers bit : kCallerBits) who += (server::SpecOf(id).access.callers & bit) ? 'Y' : 'N';
  return who;
}

class RoleMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    tokens_[kAdmin] = grid_.admin_token();
    tokens_[kSubmitter] = NewToken("submitter", "alice");
    tokens_[kViewer] = NewToken("viewer", "vic");
    tokens_[kJoinToken] = NewToken("agent", "join");
    tokens_[kHost] = Enroll("matrix-host");
    bob_ = NewToken("submitter", "bob");
    blob_ = "matrix blob";
    auto put = Http(kSubmitter).Send("PUT", "/api/v1/blobs/" + Sha256Hex(blob_), blob_);
    ASSERT_TRUE(put.ok() && put->status == 201) << (put.ok() ? put->body : put.error().message);
    alice_job_ = Submit(tokens_[kSubmitter], R"({"command":["true"],"count":1,"inputs":[{"name":"in.txt","sha256":")" +
                                                 Sha256Hex(blob_) + R"(","size":11}]})");
    bob_job_ = Submit(bob_);
  }

  HttpClient Http(Caller c) { return grid_.Http(tokens_[c]); }

  std::string NewToken(const std::string& role, const std::string& name) {
    auto r = grid_.Http(grid_.admin_token()).Send("POST", "/api/v1/tokens", R"({"role":")" + role + R"(","name":")" + name + R"("})");
    if (!r.ok() || r->status != 201) throw std::runtime_error("token create: " + (r.ok() ? r->body : r.error().message));
    return api::Decode<api::TokenCreateResponse>(r->body)->token;
  }

  std::string Enroll(const std::string& hostname) {
    auto r = grid_.Http(tokens_[kJoinToken])
                 .Send("POST", "/api/v1/agents/enroll", R"({"facts":{"hostname":")" + hostname + R"("},"slots":1})");
    if (!r.ok() || r->status != 201) throw std::runtime_error("enroll: " + (r.ok() ? r->body : r.error().message));
    auto enrolled = api::Decode<api::EnrollResponse>(r->body);
    host_ids_.push_back(enrolled->host_id);
    return enrolled->credential;
  }

  int64_t Submit(const std::string& token, const std::string& spec = R"({"command":["true"],"count":1})") {
    auto r = grid_.Http(token).Send("POST", "/api/v1/jobs", spec);
    if (!r.ok() || r->status != 201) throw std::runtime_error("submit: " + (r.ok() ? r->body : r.error().message));
    return api::Decode<api::SubmitResponse>(r->body)->job_id;
  }

  Grid grid_;
  std::map<int, std::string> tokens_;  // kNone: ""
  std::string bob_, blob_;
  int64_t alice_job_ = 0, bob_job_ = 0;
  std::vector<int64_t> host_ids_;
};

TEST_F(RoleMatrix, EveryEndpointForEveryCaller) {
  std::string sha = Sha256Hex(blob_);
  std::string job = std::to_string(alice_job_);
  int n = 0;
  auto fresh = [&] { return std::to_string(n++); };
  // The second column is "" where the route table decides alone, or who a
  // handler lets through of those the table admits.
  // clang-format off
  std::vector<std::tuple<std::string, std::string, std::function<std::pair<std::string, std::string>(Caller)>>> calls = {
    //                                   adm sub vie joi hos none
    {"GET /healthz",                     "", [&](Caller) { return std::pair{"/healthz", ""}; }},
    {"GET /metrics",                     "", [&](Caller) { return std::pair{"/metrics", ""}; }},
    {"GET /",                            "", [&](Caller) { return std::pair{"/", ""}; }},
    {"GET whoami",                       "", [&](Caller) { return std::pair{"/api/v1/whoami", ""}; }},
    {"POST enroll",                      "", [&](Caller) { return std::pair{"/api/v1/agents/enroll",
                                           R"({"facts":{"hostname":"matrix-)" + fresh() + R"("},"slots":1})"}; }},
    {"POST sync",                        "", [&](Caller) { return std::pair{"/api/v1/agents/sync", R"({"free_slots":0,"slots":1})"}; }},
    {"HEAD blob",                        "", [&](Caller) { return std::pair{"/api/v1/blobs/" + sha, ""}; }},
    // An agent reads only the inputs and checkpoints of the tasks it runs now; this blob is none of them.
    // A submitter reads a blob only as a file of its own job, named in the query.
    {"GET blob",                         "YNYNNN", [&](Caller) { return std::pair{"/api/v1/blobs/" + sha, ""}; }},
    {"GET blob as a job's input",        "YYYNNN", [&](Caller) { return std::pair{"/api/v1/blobs/" + sha + "?job=" + job, ""}; }},
    {"PUT blob",                         "", [&](Caller c) { return std::pair{"/api/v1/blobs/" + Sha256Hex(kCallerNames[c]), std::string(kCallerNames[c])}; }},
    {"POST jobs",                        "", [&](Caller) { return std::pair{"/api/v1/jobs", R"({"command":["true"]})"}; }},
    {"GET jobs",                         "", [&](Caller) { return std::pair{"/api/v1/jobs", ""}; }},
    {"GET job",                          "", [&](Caller) { return std::pair{"/api/v1/jobs/" + job, ""}; }},
    {"GET job tasks",                    "", [&](Caller) { return std::pair{"/api/v1/jobs/" + job + "/tasks", ""}; }},
    {"POST job cancel",                  "", [&](Caller) { return std::pair{"/api/v1/jobs/" + std::to_string(Submit(tokens_[kSubmitter])) + "/cancel", ""}; }},
    {"GET hosts",                        "", [&](Caller) { return std::pair{"/api/v1/hosts", ""}; }},
    {"GET report",                       "", [&](Caller) { return std::pair{"/api/v1/report", ""}; }},
    {"GET stats",                        "", [&](Caller) { return std::pair{"/api/v1/stats", ""}; }},
    {"GET policy",                       "", [&](Caller) { return std::pair{"/api/v1/policy", ""}; }},
    {"PUT policy",                       "", [&](Caller) { return std::pair{"/api/v1/policy", api::Encode(api::Policy{})}; }},
    {"POST tokens",                      "", [&](Caller) { return std::pair{"/api/v1/tokens", R"({"role":"viewer","name":"v-)" + fresh() + R"("})"}; }},
    {"GET tokens",                       "", [&](Caller) { return std::pair{"/api/v1/tokens", ""}; }},
    {"POST token revoke",                "", [&](Caller) { std::string name = "doomed-" + fresh(); NewToken("viewer", name);
                                                           return std::pair{"/api/v1/tokens/" + name + "/revoke", ""}; }},
    {"POST host revoke",                 "", [&](Caller) { Enroll("victim-" + fresh());
                                                           return std::pair{"/api/v1/hosts/" + std::to_string(host_ids_.back()) + "/revoke", ""}; }},
    {"POST host release",                "", [&](Caller) { return std::pair{"/api/v1/hosts/" + std::to_string(host_ids_.front()) + "/release", ""}; }},
    {"GET audit",                        "", [&](Caller) { return std::pair{"/api/v1/audit", ""}; }},
    {"POST backup",                      "", [&](Caller) { return std::pair{"/api/v1/admin/backup",
                                           R"({"to":")" + grid_.dir() / ("backup-" + fresh()) + R"("})"}; }},
  };
  // clang-format on
  std::set<server::RouteId> called;
  for (auto& [what, narrowed, request] : calls) {
    std::string method = what.substr(0, what.find(' '));
    std::string table, who;
    for (int c = 0; c < kCallers; ++c) {
      auto [target, body] = request(static_cast<Caller>(c));
      if (c == 0) {
        auto route = server::MatchRoute(method, target.substr(0, target.find('?')));
        ASSERT_TRUE(route.ok()) << what << ": " << route.error().message;
        called.insert(route->id);
        table = TableSays(route->id);
        who = narrowed.empty() ? table : narrowed;
        ASSERT_EQ(who.size(), static_cast<size_t>(kCallers)) << what;
      }
      ASSERT_TRUE(who[c] == 'N' || table[c] == 'Y') << what << ": a handler cannot admit whom the table refuses";
      auto r = Http(static_cast<Caller>(c)).Send(method, target, body);
      std::string where = what + " as " + kCallerNames[c];
      ASSERT_TRUE(r.ok()) << where << ": " << r.error().message;
      if (who[c] == 'Y') {
        EXPECT_TRUE(r->status >= 200 && r->status < 300) << where << ": " << r->status << " " << r->body;
        continue;
      }
      int refused = c == kNone ? 401 : 403;
      EXPECT_EQ(r->status, refused) << where << ": " << r->body;
      if (method == "HEAD") continue;  // an answer without a body
      auto error = api::Decode<api::ErrorBody>(r->body);
      ASSERT_TRUE(error.ok()) << where << ": not a JSON error: " << r->body;
      EXPECT_EQ(error->code, c == kNone ? "unauthenticated" : "permission_denied") << where;
      EXPECT_GT(error->message.size(), 20u) << where << ": a refusal says why";
    }
  }
  for (const server::RouteSpec& spec : server::Routes()) {
    EXPECT_TRUE(called.count(spec.id)) << spec.name << " (" << spec.method << " " << spec.pattern << ") is never called";
  }
}

TEST_F(RoleMatrix, SubmittersSeeAndCancelOnlyTheirOwnJobs) {
  auto bob = grid_.Http(bob_);
  std::string alice_job = std::to_string(alice_job_);
  for (auto [method, target] : {std::pair{"GET", "/api/v1/jobs/" + alice_job},
                                std::pair{"GET", "/api/v1/jobs/" + alice_job + "/tasks"},
                                std::pair{"POST", "/api/v1/jobs/" + alice_job + "/cancel"}}) {
    auto r = bob.Send(method, target);
    ASSERT_TRUE(r.ok());
    // To bob, alice's job does not exist: the same answer as for a job nobody has.
    EXPECT_EQ(r->status, 404) << method << " " << target << ": " << r->body;
    EXPECT_NE(api::Decode<api::ErrorBody>(r->body)->message.find("does not exist"), std::string::npos);
  }
  // Nor can bob read alice's files through her job, or name his own job for a blob it does not hold.
  std::string sha = Sha256Hex(blob_);
  auto through_hers = bob.Send("GET", "/api/v1/blobs/" + sha + "?job=" + alice_job);
  ASSERT_TRUE(through_hers.ok());
  EXPECT_EQ(through_hers->status, 404) << through_hers->body;
  auto through_his = bob.Send("GET", "/api/v1/blobs/" + sha + "?job=" + std::to_string(bob_job_) + "&task=0");
  ASSERT_TRUE(through_his.ok());
  EXPECT_EQ(through_his->status, 403) << through_his->body;
  EXPECT_NE(through_his->body.find("is not a file of job"), std::string::npos) << through_his->body;
  auto bad = bob.Send("GET", "/api/v1/blobs/" + sha + "?job=x");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400) << bad->body;
  auto mine = api::Decode<api::JobList>(bob.Send("GET", "/api/v1/jobs")->body);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->jobs.size(), 1u);
  EXPECT_EQ(mine->jobs[0].id, bob_job_);
  // Alice's job is still queued: bob's cancel did nothing.
  auto job = api::Decode<api::JobView>(Http(kAdmin).Send("GET", "/api/v1/jobs/" + alice_job)->body);
  EXPECT_EQ(job->state, api::JobState::kQueued);
  // Viewers read every job; admins cancel any.
  auto all = api::Decode<api::JobList>(Http(kViewer).Send("GET", "/api/v1/jobs")->body);
  EXPECT_EQ(all->jobs.size(), 2u);
  EXPECT_EQ(Http(kAdmin).Send("POST", "/api/v1/jobs/" + std::to_string(bob_job_) + "/cancel")->status, 200);
}

}  // namespace
}  // namespace gleaner::testing
