#include "cli/env_assignments.h"

#include <gtest/gtest.h>

namespace gleaner::cli {
namespace {

TEST(ParseEnvAssignments, SplitsAtTheFirstEquals) {
  auto env = ParseEnvAssignments({"SEED=42", "OPTS=a=b", "EMPTY="});
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_EQ(env->at("SEED"), "42");
  EXPECT_EQ(env->at("OPTS"), "a=b");
  EXPECT_EQ(env->at("EMPTY"), "");
}

TEST(ParseEnvAssignments, RejectsAMissingEquals) {
  auto env = ParseEnvAssignments({"SEED"});
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(env.error().message.find("NAME=VALUE"), std::string::npos);
}

TEST(ParseEnvAssignments, RejectsBadNames) {
  for (const char* bad : {"=1", "1X=1", "A-B=1", "A B=1"}) {
    auto env = ParseEnvAssignments({bad});
    ASSERT_FALSE(env.ok()) << bad;
    EXPECT_NE(env.error().message.find("letters, digits and '_'"), std::string::npos) << bad;
  }
}

TEST(ParseEnvAssignments, RejectsANameGivenTwice) {
  auto env = ParseEnvAssignments({"A=1", "A=2"});
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.error().message, "--env gives A twice; keep one");
}

}  // namespace
}  // namespace gleaner::cli
