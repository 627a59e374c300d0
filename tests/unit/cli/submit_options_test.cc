#include "cli/submit_options.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>

namespace gleaner::cli {
namespace {

// Parses `args` as `gleaner submit` would see them.
SubmitOptions Parse(std::vector<std::string> args) {
  CLI::App app;
  SubmitOptions options;
  AddSubmitOptions(app, options);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  app.parse(args);
  return options;
}

TEST(SubmitOptions, EverythingAfterTheMarkIsTheCommand) {
  SubmitOptions o = Parse({"-n", "64", "--input", "a.bin", "--input", "b.txt", "--output", "tile-*.ppm", "--env",
                           "SEED=1", "--", "./gleaner", "--index", "{i}", "--out", "tile-{i}.ppm"});
  EXPECT_EQ(o.count, 64);
  EXPECT_EQ(o.inputs, (std::vector<std::string>{"a.bin", "b.txt"}));
  EXPECT_EQ(o.outputs, (std::vector<std::string>{"tile-*.ppm"}));
  EXPECT_EQ(o.env, (std::vector<std::string>{"SEED=1"}));
  EXPECT_EQ(o.command, (std::vector<std::string>{"./gleaner", "--index", "{i}", "--out", "tile-{i}.ppm"}));
}

TEST(SubmitOptions, UnknownFlagsAreRejected) {
  EXPECT_THROW(Parse({"--bogus", "--", "echo"}), CLI::ParseError);
}

TEST(BuildJobSpec, NetworkOnlyWhenAsked) {
  auto without = BuildJobSpec(Parse({"--", "x"}));
  ASSERT_TRUE(without.ok()) << without.error().message;
  EXPECT_FALSE(without->network);
  auto with = BuildJobSpec(Parse({"--network", "--", "x"}));
  ASSERT_TRUE(with.ok()) << with.error().message;
  EXPECT_TRUE(with->network);
}

TEST(BuildJobSpec, ConvertsUnitsAndEnvironment) {
  SubmitOptions o = Parse({"--memory", "2G", "--timeout", "5m", "--env", "A=x=y", "--", "/opt/bin/render", "{i}"});
  auto spec = BuildJobSpec(o);
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->name, "render");
  EXPECT_EQ(spec->memory, 2LL << 30);
  EXPECT_EQ(spec->timeout_ms, 300'000);
  EXPECT_EQ(spec->env.at("A"), "x=y");
  EXPECT_TRUE(spec->inputs.empty());
}

TEST(BuildJobSpec, NamesTheFlagToFix) {
  auto bad_memory = BuildJobSpec(Parse({"--memory", "lots", "--", "x"}));
  ASSERT_FALSE(bad_memory.ok());
  EXPECT_EQ(bad_memory.error().message.rfind("--memory: ", 0), 0u);
  auto bad_timeout = BuildJobSpec(Parse({"--timeout", "5", "--", "x"}));
  ASSERT_FALSE(bad_timeout.ok());
  EXPECT_EQ(bad_timeout.error().message.rfind("--timeout: ", 0), 0u);
}

TEST(BuildJobSpec, RejectsAJobOfNoTasks) {
  auto spec = BuildJobSpec(Parse({"-n", "0", "--", "x"}));
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(spec.error().message.find("task count 0"), std::string::npos);
}

TEST(BuildJobSpec, ReplicasWithAMajorityQuorumByDefault) {
  auto plain = BuildJobSpec(Parse({"--", "x"}));
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->replicas, 1);
  EXPECT_EQ(plain->quorum, 1);
  EXPECT_TRUE(plain->adaptive);
  for (auto [replicas, quorum] : {std::pair{2, 2}, std::pair{3, 2}, std::pair{4, 3}, std::pair{5, 3}}) {
    auto spec = BuildJobSpec(Parse({"--replicas", std::to_string(replicas), "--", "x"}));
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    EXPECT_EQ(spec->quorum, quorum) << replicas << " replicas";
  }
  auto strict = BuildJobSpec(Parse({"--replicas", "3", "--quorum", "3", "--no-adaptive", "--", "x"}));
  ASSERT_TRUE(strict.ok()) << strict.error().message;
  EXPECT_EQ(strict->quorum, 3);
  EXPECT_FALSE(strict->adaptive);
}

TEST(BuildJobSpec, QuorumAboveReplicasOrTooManyReplicasIsRefused) {
  auto high = BuildJobSpec(Parse({"--replicas", "2", "--quorum", "3", "--", "x"}));
  ASSERT_FALSE(high.ok());
  EXPECT_EQ(high.error().message,
            "--quorum 3 is more than --replicas 2: a quorum counts agreeing replicas, so raise --replicas or lower "
            "--quorum");
  auto many = BuildJobSpec(Parse({"--replicas", "11", "--", "x"}));
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().message, "replicas must be between 1 and 10, not 11");
  auto none = BuildJobSpec(Parse({"--replicas", "0", "--", "x"}));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "replicas must be between 1 and 10, not 0");
}

}  // namespace
}  // namespace gleaner::cli
