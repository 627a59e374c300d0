// Validator programs run for real: scripts in bubblewrap as the task user,
// fed two results copied out of a real blob store.
#include "server/validation/validator_runner.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "common/sha256.h"
#include "test_support.h"

namespace gleaner::server {
namespace {

namespace fs = std::filesystem;

class ValidatorRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = BlobStore::Open(root_ + "/blobs");
    ASSERT_TRUE(opened.ok());
    blobs_ = std::make_unique<BlobStore>(std::move(*opened));
    // Agree when the two stdouts hold the same lines in any order.
    std::string sorted = Script("sorted",
                                "#!/bin/sh\n"
                                "if [ \"$(sort a/stdout)\" = \"$(sort b/stdout)\" ]; then exit 0; fi\n"
                                "echo 'lines differ, even sorted'; exit 1\n");
    std::string broken = Script("broken", "#!/bin/sh\necho 'cannot parse a/stdout' >&2\nexit 3\n");
    // Tries to escape: write outside its directory, reach the network.
    std::string nosy = Script("nosy",
                              "#!/bin/sh\n"
                              "touch /usr/owned 2>/dev/null && { echo 'wrote /usr'; exit 1; }\n"
                              "cat /etc/shadow >/dev/null 2>&1 && { echo 'read /etc/shadow'; exit 1; }\n"
                              "touch a/stdout 2>/dev/null && { echo 'changed a result'; exit 1; }\n"
                              "exit 0\n");
    auto runner = ValidatorRunner::Create({{"sorted", sorted}, {"broken", broken}, {"nosy", nosy}}, root_,
                                          "gleaner", agent::kDefaultBubblewrap);
    if (!runner.ok() && runner.error().code == ErrorCode::kUnavailable) {
      GTEST_SKIP() << runner.error().message;
    }
    ASSERT_TRUE(runner.ok()) << runner.error().message;
    runner_ = std::move(*runner);
  }
  void TearDown() override {
    runner_.reset();
    fs::remove_all(root_);
  }

  std::string Script(const std::string& name, const std::string& text) {
    std::string path = root_ + "/" + name;
    std::ofstream(path) << text;
    ::chmod(path.c_str(), 0755);
    return path;
  }
  api::FileRef Blob(const std::string& name, const std::string& text) { return testing::StoreBlob(*blobs_, name, text); }
  TaskOutcome Result(const std::string& stdout_text) {
    TaskOutcome o;
    o.exit_code = 0;
    o.stdout_ref = Blob("stdout", stdout_text);
    o.outputs = {Blob("res/n.txt", "1\n")};
    return o;
  }

  std::string root_ = testing::NewTempDir("validator-runner-test");
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<ValidatorRunner> runner_;
};

TEST_F(ValidatorRunnerTest, TheValidatorDecidesAndSaysWhy) {
  EXPECT_EQ(runner_->Difference("sorted", *blobs_, Result("b\na\n"), Result("a\nb\n")), "");
  EXPECT_EQ(runner_->Difference("sorted", *blobs_, Result("a\nc\n"), Result("a\nb\n")),
            "validator sorted: lines differ, even sorted");
}

TEST_F(ValidatorRunnerTest, ABrokenValidatorNeverMakesResultsAgree) {
  EXPECT_EQ(runner_->Difference("broken", *blobs_, Result("a\n"), Result("a\n")),
            "validator broken failed (exit code 3: cannot parse a/stdout), so the results count as disagreeing");
  EXPECT_EQ(runner_->Difference("gone", *blobs_, Result("a\n"), Result("a\n")),
            "validator gone is not configured on this server any more");
}

TEST_F(ValidatorRunnerTest, TheValidatorIsSandboxed) {
  EXPECT_EQ(runner_->Difference("nosy", *blobs_, Result("a\n"), Result("a\n")), "");
}

TEST_F(ValidatorRunnerTest, AnOutputNameLeavingItsDirectoryIsRefused) {
  TaskOutcome sneaky = Result("a\n");
  sneaky.outputs[0].name = "../../escape";
  std::string said = runner_->Difference("sorted", *blobs_, sneaky, Result("a\n"));
  EXPECT_EQ(said.rfind("output name '../../escape' is not a safe relative path", 0), 0u) << said;
}

TEST(ValidatorFlag, NamesAndPathsAreChecked) {
  EXPECT_EQ(ParseValidatorFlag("energy").error().message,
            "--validator 'energy' must be NAME=PATH, e.g. --validator energy=/usr/local/bin/cmp-energy");
  EXPECT_EQ(ParseValidatorFlag("a b=/bin/true").error().message,
            "--validator: name 'a b' must be 1 to 64 letters, digits, '.', '_' or '-'");
  EXPECT_EQ(ParseValidatorFlag("x=bin/true").error().message, "--validator x: 'bin/true' must be an absolute path");
  EXPECT_EQ(ParseValidatorFlag("x=/etc/passwd").error().message,
            "--validator x: '/etc/passwd' is not an executable file");
  auto ok = ParseValidatorFlag("x=/bin/true");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->first, "x");
  EXPECT_EQ(ok->second, "/bin/true");
}

}  // namespace
}  // namespace gleaner::server
