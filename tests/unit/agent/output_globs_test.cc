#include "agent/executor/output_globs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.h"

namespace gleaner::agent {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

class OutputGlobsTest : public ::testing::Test {
 protected:
  void Touch(const std::string& name) {
    fs::create_directories(fs::path(tmp_ / name).parent_path());
    ASSERT_TRUE(WriteFileDurably(tmp_ / name, name).ok());
  }
  std::vector<std::string> Names(const std::vector<std::string>& patterns) {
    auto files = MatchOutputs(tmp_.path(), patterns);
    EXPECT_TRUE(files.ok()) << files.error().message;
    std::vector<std::string> names;
    if (files.ok()) {
      for (const auto& f : *files) names.push_back(f.name);
    }
    return names;
  }
  TempDir tmp_;
};

TEST_F(OutputGlobsTest, MatchesRegularFilesOnceSorted) {
  Touch("b.out");
  Touch("a.out");
  Touch("sub/c.out");
  Touch("keep.txt");
  fs::create_directory(tmp_ / "dir.out");
  EXPECT_EQ(Names({"*.out", "a.*", "sub/*.out"}), (std::vector<std::string>{"a.out", "b.out", "sub/c.out"}));
}

TEST_F(OutputGlobsTest, PatternMatchingNothingIsFine) {
  EXPECT_TRUE(Names({"*.none"}).empty());
}

TEST_F(OutputGlobsTest, GivesAbsolutePathsForReading) {
  Touch("a.out");
  auto files = MatchOutputs(tmp_.path(), {"a.out"});
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, fs::canonical(tmp_ / "a.out").string());
}

TEST_F(OutputGlobsTest, RefusesPatternsThatLeaveTheWorkDir) {
  for (const std::string& pattern : std::vector<std::string>{"../*", "/etc/*", "a/../../x",
                                                             std::string("a\0/../../x", 10), std::string(5000, 'a')}) {
    auto files = MatchOutputs(tmp_.path(), {pattern});
    ASSERT_FALSE(files.ok()) << pattern;
    EXPECT_EQ(files.error().code, ErrorCode::kInvalidArgument) << pattern;
    EXPECT_NE(files.error().message.find("must stay inside the work dir: it "), std::string::npos)
        << files.error().message;
  }
}

TEST_F(OutputGlobsTest, SkipsSymlinksOutOfTheWorkDir) {
  TempDir outside;
  ASSERT_TRUE(WriteFileDurably(outside / "secret", "s").ok());
  fs::create_symlink(outside / "secret", tmp_ / "link.out");
  fs::create_directory_symlink(outside.path(), tmp_ / "escape");
  Touch("real.out");
  EXPECT_EQ(Names({"*.out", "escape/*"}), (std::vector<std::string>{"real.out"}));
}

// ".*" matches ".." in glob(3): such a match is a directory or leaves the
// work dir, and is skipped either way.
TEST_F(OutputGlobsTest, WildcardsDoNotClimbOutThroughDotDot) {
  fs::create_directories(tmp_ / "work/sub");
  ASSERT_TRUE(WriteFileDurably(tmp_ / "secret", "s").ok());
  ASSERT_TRUE(WriteFileDurably(tmp_ / "work/sub/ok.out", "x").ok());
  auto files = MatchOutputs(tmp_ / "work", {".*", ".*/*", "sub/.*/*", "sub/*"});
  ASSERT_TRUE(files.ok()) << files.error().message;
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].name, "sub/ok.out");
}

TEST_F(OutputGlobsTest, WorkDirWithGlobCharactersIsLiteral) {
  fs::path odd = fs::path(tmp_.path()) / "w[1]*";
  fs::create_directory(odd);
  ASSERT_TRUE(WriteFileDurably((odd / "r.out").string(), "x").ok());
  auto files = MatchOutputs(odd.string(), {"*.out"});
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].name, "r.out");
}

}  // namespace
}  // namespace gleaner::agent
