#include "api/job_spec.h"

#include <gtest/gtest.h>

namespace gleaner::api {
namespace {

JobSpec Valid() {
  JobSpec s;
  s.command = {"./run", "{i}"};
  s.count = 10;
  return s;
}

TEST(ExpandCommand, ReplacesIndexAndCount) {
  auto out = ExpandCommand({"render", "--tile={i}", "of {n}", "{i}{i}", "{{i}}", "plain"}, 7, 64);
  EXPECT_EQ(out, (std::vector<std::string>{"render", "--tile=7", "of 64", "77", "{i}", "plain"}));
}

TEST(ValidateJobSpec, AcceptsAPlainJob) { EXPECT_TRUE(ValidateJobSpec(Valid()).ok()); }

TEST(ValidateJobSpec, RejectsZeroTasks) {
  auto s = Valid();
  s.count = 0;
  auto st = ValidateJobSpec(s);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("task count 0"), std::string::npos);
}

TEST(ValidateJobSpec, RejectsMissingCommand) {
  auto s = Valid();
  s.command.clear();
  EXPECT_NE(ValidateJobSpec(s).message().find("no command"), std::string::npos);
}

TEST(ValidateJobSpec, RejectsEscapingPaths) {
  for (const char* bad : {"../x", "/etc/passwd", "a/../../b", "", "a//b"}) {
    auto s = Valid();
    s.outputs = {bad};
    EXPECT_EQ(ValidateJobSpec(s).code(), ErrorCode::kInvalidArgument) << bad;
  }
  auto s = Valid();
  s.inputs = {{"../evil", std::string(64, 'a'), 1}};
  EXPECT_NE(ValidateJobSpec(s).message().find("relative path"), std::string::npos);
}

TEST(ValidateJobSpec, RejectsBadHashes) {
  auto s = Valid();
  s.inputs = {{"data.bin", "not-a-hash", 1}};
  EXPECT_NE(ValidateJobSpec(s).message().find("sha256"), std::string::npos);
}

}  // namespace
}  // namespace gleaner::api
