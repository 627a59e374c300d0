#include "cli/failure.h"

#include <iostream>

#include "command.h"

namespace gleaner::cli {

namespace {

// How to fix the errors whose cure the user may not guess; "" where the
// server's sentence says it all.
const char* HintFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnauthenticated:
      return "check --token or GLEANER_TOKEN; the server's admin token is in <data>/admin.token";
    case ErrorCode::kPermissionDenied:
      return "this token's role may not do that; ask an admin for a token with the right role "
             "(gleaner token create --role ...)";
    case ErrorCode::kUnavailable:
      return "is the server running at that address? check --server or GLEANER_SERVER";
    default:
      return "";
  }
}

}  // namespace

Failure DescribeFailure(const Error& error) {
  std::string hint = HintFor(error.code);
  return {ExitCodeOf(error.code), hint.empty() ? error.message : error.message + "\nhint: " + hint};
}

int ReportOutcome(const Status& status) {
  if (status.ok()) return kExitOk;
  Failure failure = DescribeFailure(status.error());
  std::cerr << "gleaner: " << failure.message << '\n';
  return failure.exit_code;
}

}  // namespace gleaner::cli
