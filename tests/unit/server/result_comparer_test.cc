// Result comparison against real files in a blob store: what agrees within a
// tolerance, and what a disagreement says.
#include "server/validation/result_comparer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/sha256.h"
#include "server/scheduler/quorum.h"
#include "test_support.h"

namespace gleaner::server {
namespace {

class ResultComparerTest : public ::testing::Test {
 protected:
  ~ResultComparerTest() override { std::filesystem::remove_all(root_); }
  ResultComparerTest() {
    auto opened = BlobStore::Open(root_);
    EXPECT_TRUE(opened.ok());
    blobs_ = std::make_unique<BlobStore>(std::move(*opened));
  }

  api::FileRef Blob(const std::string& name, const std::string& text) { return testing::StoreBlob(*blobs_, name, text); }
  TaskOutcome Result(const std::string& stdout_text, const std::string& output_text) {
    TaskOutcome o;
    o.exit_code = 0;
    o.stdout_ref = Blob("stdout", stdout_text);
    o.outputs = {Blob("res/energy.txt", output_text)};
    return o;
  }
  ReplicaResult Replica(int64_t attempt, TaskOutcome outcome) {
    return {attempt, attempt, ResultHash(outcome), std::move(outcome)};
  }

  std::string root_ = testing::NewTempDir("result-comparer-test");
  std::unique_ptr<BlobStore> blobs_;
};

TEST_F(ResultComparerTest, NumbersWithinTheToleranceAgree) {
  TaskOutcome a = Result("step 1 energy -1.234567890123\n", "E = 3.0e-5\n");
  TaskOutcome b = Result("step 1 energy   -1.234567890124\n", "E = 3.00000000001e-5\n");
  EXPECT_EQ(DifferenceBetween(*blobs_, a, b, 1e-9, 0), "");
  EXPECT_EQ(DifferenceBetween(*blobs_, a, a, 0, 0), "");  // equal bytes need no reading
}

TEST_F(ResultComparerTest, ADifferenceNamesTheFileAndWhere) {
  TaskOutcome a = Result("ok\n", "E = 1.5\n");
  TaskOutcome b = Result("ok\n", "E = 1.6\n");
  std::string differs = DifferenceBetween(*blobs_, a, b, 1e-9, 0);
  EXPECT_EQ(differs.rfind("output res/energy.txt line 1, field 3: \"1.5\" vs \"1.6\"", 0), 0u) << differs;
}

TEST_F(ResultComparerTest, DifferentExitsOrOutputNamesNeverAgree) {
  TaskOutcome a = Result("1\n", "2\n");
  TaskOutcome b = a;
  b.exit_code = 1;
  EXPECT_EQ(DifferenceBetween(*blobs_, a, b, 0.5, 0), "exit status: they ended differently");
  b = a;
  b.outputs[0].name = "res/other.txt";
  EXPECT_EQ(DifferenceBetween(*blobs_, a, b, 0.5, 0), "outputs: only one of them wrote res/energy.txt");
  b = a;
  b.stdout_ref.reset();
  EXPECT_EQ(DifferenceBetween(*blobs_, a, b, 0.5, 0), "stdout: only one of them wrote any");
}

TEST_F(ResultComparerTest, AFileMissingFromTheStoreDisagrees) {
  TaskOutcome a = Result("1.0\n", "x\n");
  TaskOutcome b = a;
  b.stdout_ref->sha256 = std::string(64, 'f');
  EXPECT_EQ(DifferenceBetween(*blobs_, a, b, 0.5, 0), "stdout: the file is missing on the server");
}

TEST_F(ResultComparerTest, TheCandidateJoinsTheFirstGroupItAgreesWith) {
  ComparisonRequest request;
  request.tolerance = 1e-6;
  request.groups = {Replica(1, Result("10.0\n", "a\n")), Replica(2, Result("20.0\n", "a\n")),
                    Replica(3, Result("20.00000001\n", "a\n"))};
  request.candidate = Replica(4, Result("20.000000001\n", "a\n"));
  ComparisonAnswer answer = CompareResults(*blobs_, nullptr, request);
  EXPECT_EQ(answer.agrees_with, request.groups[1].hash);
  EXPECT_EQ(answer.difference, "");

  request.candidate = Replica(5, Result("30.0\n", "a\n"));
  answer = CompareResults(*blobs_, nullptr, request);
  EXPECT_EQ(answer.agrees_with, "");
  EXPECT_EQ(answer.difference.rfind("stdout line 1, field 1: \"30.0\" vs \"10.0\"", 0), 0u) << answer.difference;
}

}  // namespace
}  // namespace gleaner::server
