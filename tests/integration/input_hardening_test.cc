// Hostile or careless input is refused at the edge with a clear message — a
// 400 with a JSON error from the API, exit code 2 from the CLI — and the
// server carries on.
#include <gtest/gtest.h>

#include <string>

#include "api/json.h"
#include "client/http_client.h"
#include "harness.h"

namespace gleaner::testing {
namespace {

class InputHardening : public ::testing::Test {
 protected:
  // The status and the error message of `body` POSTed to /api/v1/jobs.
  std::pair<int, std::string> Submit(const std::string& body) {
    auto r = grid_.Http(grid_.admin_token()).Send("POST", "/api/v1/jobs", body);
    if (!r.ok()) return {0, r.error().message};
    auto error = api::Decode<api::ErrorBody>(r->body);
    return {r->status, error.ok() ? error->message : r->body};
  }

  Grid grid_;
};

TEST_F(InputHardening, ApiRefusesEscapingPathsDeepJsonAndOversizedSpecs) {
  auto [status, message] = Submit(R"({"command": ["true"], "outputs": ["../../etc/passwd"]})");
  EXPECT_EQ(status, 400);
  EXPECT_NE(message.find("output pattern '../../etc/passwd'"), std::string::npos) << message;
  EXPECT_NE(message.find("'..' component"), std::string::npos) << message;

  std::tie(status, message) = Submit(R"({"command": ["true"], "outputs": ["/etc/*"]})");
  EXPECT_EQ(status, 400);
  EXPECT_NE(message.find("starts with '/'"), std::string::npos) << message;

  std::tie(status, message) = Submit(R"({"command": ["true"], "outputs": ["out\u0000/../../x"]})");
  EXPECT_EQ(status, 400);
  EXPECT_NE(message.find("NUL"), std::string::npos) << message;

  std::tie(status, message) =
      Submit(R"({"command": ["true"], "x": )" + std::string(100, '[') + std::string(100, ']') + "}");
  EXPECT_EQ(status, 400);
  EXPECT_NE(message.find("levels deep"), std::string::npos) << message;

  std::tie(status, message) = Submit(R"({"command": ["true"], "count": 1e300})");
  EXPECT_EQ(status, 400);
  EXPECT_NE(message.find("field 'count': expected a whole number"), std::string::npos) << message;

  std::string many = R"({"command": ["echo")";
  for (int i = 0; i < 5000; ++i) many += R"(, "a")";
  std::tie(status, message) = Submit(many + "]}");
  EXPECT_EQ(status, 400);
  EXPECT_NE(message.find("5001 arguments; at most 4096"), std::string::npos) << message;

  // A path that is not UTF-8 is echoed back in a well-formed JSON error.
  auto odd = grid_.Http(grid_.admin_token()).Send("GET", "/api/v1/jobs/\xff\xfe");
  ASSERT_TRUE(odd.ok()) << odd.error().message;
  EXPECT_EQ(odd->status, 400) << odd->body;
  auto error = api::Decode<api::ErrorBody>(odd->body);
  ASSERT_TRUE(error.ok()) << odd->body;
  EXPECT_NE(error->message.find("is not a job id"), std::string::npos) << error->message;

  // Nothing of that disturbed the server, and nothing was queued.
  auto jobs = grid_.Cli({"jobs", "--json"});
  ASSERT_EQ(jobs.exit_code, 0) << jobs.err;
  EXPECT_EQ(jobs.Json()["jobs"].size(), 0u) << jobs.out;
}

TEST_F(InputHardening, CliRefusesEscapingOutputsWithExit2) {
  auto up = grid_.Cli({"submit", "--output", "../secret", "--", "true"});
  EXPECT_EQ(up.exit_code, 2);
  EXPECT_NE(up.err.find("output pattern '../secret'"), std::string::npos) << up.err;

  auto absolute = grid_.Cli({"submit", "--output", "/etc/shadow", "--", "true"});
  EXPECT_EQ(absolute.exit_code, 2);
  EXPECT_NE(absolute.err.find("starts with '/'"), std::string::npos) << absolute.err;

  auto env = grid_.Cli({"submit", "--env", "=x", "--", "true"});
  EXPECT_EQ(env.exit_code, 2) << env.err;
}

}  // namespace
}  // namespace gleaner::testing
