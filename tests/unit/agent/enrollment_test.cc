// Enrolment decisions that need no server: reuse, mismatches, missing flags.
#include "agent/enrollment.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace gleaner::agent {
namespace {

using testing::TempDir;

bool NeverWait(std::chrono::milliseconds) { return false; }

class EnrollmentTest : public ::testing::Test {
 protected:
  EnrollmentParams Params(std::string server, std::string join = "") {
    return {tmp_ / "agent.json", std::move(server), std::move(join), {}};
  }
  TempDir tmp_;
};

TEST_F(EnrollmentTest, ReusesTheStoredCredentialWithoutJoinOrServer) {
  ASSERT_TRUE(SaveCredential(tmp_ / "agent.json", {"http://grid:8080", 3, "c"}).ok());
  for (std::string server : {"", "http://grid:8080", "http://grid:8080/"}) {
    auto credential = LoadOrEnroll(Params(server), NeverWait);
    ASSERT_TRUE(credential.ok()) << server << ": " << credential.error().message;
    EXPECT_EQ(credential->host_id, 3);
  }
}

TEST_F(EnrollmentTest, RefusesAnotherServerThanTheOneThatEnrolledIt) {
  ASSERT_TRUE(SaveCredential(tmp_ / "agent.json", {"http://grid:8080", 3, "c"}).ok());
  auto credential = LoadOrEnroll(Params("http://other:8080"), NeverWait);
  ASSERT_FALSE(credential.ok());
  EXPECT_EQ(credential.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(credential.error().message.find("--server http://grid:8080"), std::string::npos);
}

TEST_F(EnrollmentTest, NotEnrolledNeedsAServerAndAJoinToken) {
  auto no_server = LoadOrEnroll(Params("", "tok"), NeverWait);
  ASSERT_FALSE(no_server.ok());
  EXPECT_NE(no_server.error().message.find("GLEANER_SERVER"), std::string::npos);
  auto no_join = LoadOrEnroll(Params("http://grid:8080"), NeverWait);
  ASSERT_FALSE(no_join.ok());
  EXPECT_EQ(no_join.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(no_join.error().message.find("--join"), std::string::npos);
}

TEST_F(EnrollmentTest, UnreachableServerGivesUpWhenTheWaitSaysStop) {
  // Port 1 on loopback refuses connections: the server is away.
  auto credential = LoadOrEnroll(Params("http://127.0.0.1:1", "tok"), NeverWait);
  ASSERT_FALSE(credential.ok());
  EXPECT_EQ(credential.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "agent.json"));
}

}  // namespace
}  // namespace gleaner::agent
