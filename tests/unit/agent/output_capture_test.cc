#include "agent/executor/output_capture.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace gleaner::agent {
namespace {

using testing::Slurp;
using testing::TempDir;

TEST(OutputCaptureTest, KeepsEverythingUnderTheCap) {
  TempDir tmp;
  auto capture = OutputCapture::Create(tmp / "out", 10);
  ASSERT_TRUE(capture.ok());
  capture->Append("hello ");
  capture->Append("you");
  ASSERT_TRUE(capture->Finish().ok());
  EXPECT_EQ(Slurp(tmp / "out"), "hello you");
}

TEST(OutputCaptureTest, CutsAtTheCapAcrossAppendsAndCountsTheRest) {
  TempDir tmp;
  auto capture = OutputCapture::Create(tmp / "out", 8);
  ASSERT_TRUE(capture.ok());
  capture->Append("12345");
  capture->Append("67890");
  capture->Append("abc");
  EXPECT_EQ(capture->dropped(), 5);
  ASSERT_TRUE(capture->Finish().ok());
  EXPECT_EQ(Slurp(tmp / "out"), "12345678\n[gleaner: 5 more bytes dropped; output is capped at 8 bytes]\n");
}

TEST(OutputCaptureTest, CreateFailsInAMissingDirectory) {
  TempDir tmp;
  auto capture = OutputCapture::Create(tmp / "missing/out", 8);
  ASSERT_FALSE(capture.ok());
  EXPECT_EQ(capture.error().code, ErrorCode::kInternal);
  EXPECT_NE(capture.error().message.find("missing/out"), std::string::npos);
}

}  // namespace
}  // namespace gleaner::agent
