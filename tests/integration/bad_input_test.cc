// Bad input gets a clear error — exit code 2 in the CLI, a 4xx with a JSON
// body from the API — and never disturbs the server.
#include <gtest/gtest.h>

#include "api/json.h"
#include "client/http_client.h"
#include "harness.h"

namespace gleaner::testing {
namespace {

class BadInput : public ::testing::Test {
 protected:
  HttpClient Client(const std::string& token) { return grid_.Http(token); }
  static api::ErrorBody ErrorOf(const HttpResponse& r) { return *api::Decode<api::ErrorBody>(r.body); }

  Grid grid_;
};

TEST_F(BadInput, CliSaysWhatIsWrongAndExits2) {
  auto zero = grid_.Cli({"submit", "-n", "0", "--", "true"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("task count 0"), std::string::npos) << zero.err;

  auto missing = grid_.Cli({"submit", "--input", grid_.dir() / "no-such-file", "--", "true"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no-such-file"), std::string::npos) << missing.err;

  auto flag = grid_.Cli({"jobs", "--no-such-flag"});
  EXPECT_EQ(flag.exit_code, 2);

  auto unknown_job = grid_.Cli({"job", "4242"});
  EXPECT_EQ(unknown_job.exit_code, 2);
  EXPECT_NE(unknown_job.err.find("job 4242 does not exist"), std::string::npos) << unknown_job.err;

  auto not_a_number = grid_.Cli({"tasks", "abc"});
  EXPECT_EQ(not_a_number.exit_code, 2);

  auto duration = grid_.Cli({"wait", "1", "--timeout", "soon"});
  EXPECT_EQ(duration.exit_code, 2);
  EXPECT_NE(duration.err.find("not a duration"), std::string::npos) << duration.err;

  auto no_command = grid_.Cli({"submit", "-n", "3"});
  EXPECT_EQ(no_command.exit_code, 2);
}

TEST_F(BadInput, ApiAnswers4xxWithJsonErrors) {
  auto anonymous = Client("");
  auto r = anonymous.Send("GET", "/api/v1/jobs");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(ErrorOf(*r).code, "unauthenticated");

  auto forged = Client("glt_not-a-real-token");
  EXPECT_EQ(forged.Send("GET", "/api/v1/jobs")->status, 401);

  auto admin = Client(grid_.admin_token());
  auto malformed = admin.Send("POST", "/api/v1/jobs", "{\"command\": [");
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(ErrorOf(*malformed).message, "request body is not valid JSON");

  auto wrong_type = admin.Send("POST", "/api/v1/jobs", R"({"command": "echo", "count": 2})");
  EXPECT_EQ(wrong_type->status, 400);
  EXPECT_NE(ErrorOf(*wrong_type).message.find("field 'command'"), std::string::npos);

  auto not_uploaded =
      admin.Send("POST", "/api/v1/jobs",
                 R"({"command": ["x"], "inputs": [{"name": "x", "sha256": ")" + std::string(64, 'a') + R"("}]})");
  EXPECT_EQ(not_uploaded->status, 400);
  EXPECT_NE(ErrorOf(*not_uploaded).message.find("was not uploaded"), std::string::npos);

  EXPECT_EQ(admin.Send("GET", "/api/v1/jobs/99")->status, 404);
  EXPECT_EQ(admin.Send("GET", "/api/v1/nowhere")->status, 404);
  EXPECT_EQ(admin.Send("DELETE", "/api/v1/jobs")->status, 400);
  EXPECT_EQ(admin.Send("POST", "/api/v1/agents/sync", "{}")->status, 403);

  auto corrupt = admin.Send("PUT", "/api/v1/blobs/" + std::string(64, 'b'), "");
  EXPECT_EQ(corrupt->status, 400);
  EXPECT_NE(ErrorOf(*corrupt).message.find("hash to"), std::string::npos);

  // None of it disturbed the server.
  EXPECT_EQ(Client("").Send("GET", "/healthz")->status, 200);
  EXPECT_TRUE(grid_.server().Running());
  EXPECT_EQ(grid_.Cli({"jobs", "--json"}).exit_code, 0);
}

TEST_F(BadInput, RoleLimitsAreEnforced) {
  auto viewer_token = grid_.Cli({"token", "create", "--role", "viewer"});
  ASSERT_EQ(viewer_token.exit_code, 0) << viewer_token.err;
  std::string out = viewer_token.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  auto viewer = Client(out.substr(out.rfind('\n') + 1));
  EXPECT_EQ(viewer.Send("GET", "/api/v1/jobs")->status, 200);
  auto denied = viewer.Send("POST", "/api/v1/jobs", R"({"command": ["true"]})");
  EXPECT_EQ(denied->status, 403);
  EXPECT_NE(ErrorOf(*denied).message.find("viewer"), std::string::npos);
  auto join = Client(grid_.JoinToken());
  EXPECT_EQ(join.Send("POST", "/api/v1/tokens", R"({"role": "admin"})")->status, 403);
}

}  // namespace
}  // namespace gleaner::testing
