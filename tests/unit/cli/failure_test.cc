#include "cli/failure.h"

#include <gtest/gtest.h>

#include "command.h"

namespace gleaner::cli {
namespace {

TEST(DescribeFailure, CallersMistakesExitTwo) {
  for (ErrorCode code : {ErrorCode::kInvalidArgument, ErrorCode::kNotFound, ErrorCode::kConflict,
                         ErrorCode::kPayloadTooLarge, ErrorCode::kUnauthenticated, ErrorCode::kPermissionDenied}) {
    EXPECT_EQ(DescribeFailure({code, "x"}).exit_code, kExitUsage) << ErrorCodeName(code);
  }
}

TEST(DescribeFailure, OperationalFailuresExitOne) {
  EXPECT_EQ(DescribeFailure(Unavailable("x")).exit_code, kExitFailed);
  EXPECT_EQ(DescribeFailure(Internal("x")).exit_code, kExitFailed);
}

TEST(DescribeFailure, KeepsTheServersSentence) {
  EXPECT_EQ(DescribeFailure(NotFound("no job 42")).message, "no job 42");
}

TEST(DescribeFailure, BadTokenPointsAtTheAdminToken) {
  Failure f = DescribeFailure(Unauthenticated("the token is not valid"));
  EXPECT_EQ(f.message.rfind("the token is not valid\nhint: ", 0), 0u);
  EXPECT_NE(f.message.find("GLEANER_TOKEN"), std::string::npos);
  EXPECT_NE(f.message.find("admin.token"), std::string::npos);
}

TEST(DescribeFailure, UnreachableServerPointsAtTheUrl) {
  EXPECT_NE(DescribeFailure(Unavailable("cannot reach")).message.find("GLEANER_SERVER"), std::string::npos);
}

TEST(ReportOutcome, OkIsExitZero) { EXPECT_EQ(ReportOutcome(OkStatus()), kExitOk); }

}  // namespace
}  // namespace gleaner::cli
