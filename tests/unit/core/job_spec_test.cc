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


TEST(ValidateJobSpec, SaysWhyAPathIsUnsafe) {
  EXPECT_EQ(WhyUnsafePath("out/a.txt"), "");
  EXPECT_EQ(WhyUnsafePath("*.txt"), "");
  EXPECT_NE(WhyUnsafePath("/etc/passwd").find("starts with '/'"), std::string::npos);
  EXPECT_NE(WhyUnsafePath("a/../../b").find("'..'"), std::string::npos);
  EXPECT_NE(WhyUnsafePath("..").find("'..'"), std::string::npos);
  EXPECT_NE(WhyUnsafePath(std::string("a\0b", 3)).find("NUL"), std::string::npos);
  EXPECT_NE(WhyUnsafePath("a/./b").find("'.' component"), std::string::npos);
  EXPECT_NE(WhyUnsafePath(std::string(kMaxPathBytes + 1, 'a')).find("longer than"), std::string::npos);
  EXPECT_NE(WhyUnsafePath("").find("empty"), std::string::npos);

  auto s = Valid();
  s.outputs = {std::string("out\0/../../etc/shadow", 21)};
  auto st = ValidateJobSpec(s);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("output pattern 'out?/../../etc/shadow'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("NUL"), std::string::npos) << st.message();
}

TEST(ValidateJobSpec, BoundsTheSizeOfEveryList) {
  auto args = Valid();
  args.command.assign(kMaxCommandArgs + 1, "x");
  EXPECT_NE(ValidateJobSpec(args).message().find("arguments; at most 4096"), std::string::npos);
  auto bytes = Valid();
  bytes.command.push_back(std::string(kMaxCommandBytes, 'x'));
  EXPECT_NE(ValidateJobSpec(bytes).message().find("bytes long; at most"), std::string::npos);
  auto nul = Valid();
  nul.command.push_back(std::string("a\0b", 3));
  EXPECT_NE(ValidateJobSpec(nul).message().find("NUL"), std::string::npos);

  auto env = Valid();
  for (size_t i = 0; i <= kMaxEnvVars; ++i) env.env["V" + std::to_string(i)] = "1";
  EXPECT_NE(ValidateJobSpec(env).message().find("environment variables; at most 1024"), std::string::npos);
  auto env_bytes = Valid();
  env_bytes.env["BIG"] = std::string(kMaxEnvBytes, 'x');
  EXPECT_NE(ValidateJobSpec(env_bytes).message().find("bytes; at most"), std::string::npos);
  auto env_nul = Valid();
  env_nul.env["K"] = std::string("a\0b", 3);
  EXPECT_NE(ValidateJobSpec(env_nul).message().find("NUL"), std::string::npos);
  auto env_name = Valid();
  env_name.env["A=B"] = "1";
  EXPECT_NE(ValidateJobSpec(env_name).message().find("is not valid"), std::string::npos);

  auto inputs = Valid();
  for (size_t i = 0; i <= kMaxInputs; ++i) inputs.inputs.push_back({"f" + std::to_string(i), std::string(64, 'a'), 1});
  EXPECT_NE(ValidateJobSpec(inputs).message().find("input files; at most"), std::string::npos);
  auto outputs = Valid();
  outputs.outputs.assign(kMaxOutputPatterns + 1, "*.txt");
  EXPECT_NE(ValidateJobSpec(outputs).message().find("output patterns; at most"), std::string::npos);
  auto twice = Valid();
  twice.inputs = {{"data", std::string(64, 'a'), 1}, {"data", std::string(64, 'b'), 1}};
  EXPECT_NE(ValidateJobSpec(twice).message().find("two inputs are named 'data'"), std::string::npos);

  auto at_limits = Valid();
  at_limits.command.assign(kMaxCommandArgs, "x");
  at_limits.outputs.assign(kMaxOutputPatterns, "*.txt");
  EXPECT_TRUE(ValidateJobSpec(at_limits).ok()) << ValidateJobSpec(at_limits).message();
}

TEST(ValidateJobSpec, QuorumMustBeBetweenOneAndTheReplicas) {
  auto s = Valid();
  s.replicas = 3;
  s.quorum = 2;
  EXPECT_TRUE(ValidateJobSpec(s).ok());
  s.quorum = 0;
  EXPECT_EQ(ValidateJobSpec(s).message(),
            "quorum 0 is out of range: it must be between 1 and the number of replicas (3); e.g. --replicas 3 "
            "--quorum 2 accepts a result when 2 of 3 hosts agree");
  s.quorum = 4;
  EXPECT_EQ(ValidateJobSpec(s).code(), ErrorCode::kInvalidArgument);
  s.replicas = 0;
  s.quorum = 0;
  EXPECT_EQ(ValidateJobSpec(s).message(), "replicas must be between 1 and 10, not 0");
  s.replicas = 10;
  s.quorum = 10;
  EXPECT_TRUE(ValidateJobSpec(s).ok());
}

}  // namespace
}  // namespace gleaner::api
