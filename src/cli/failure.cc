#include "cli/failure.h"

#include <iostream>

#include "command.h"

namespace gleaner::cli {

Failure DescribeFailure(const Error& error) {
  switch (error.code) {
    case ErrorCode::kUnauthenticated:
      return {kExitUsage, error.message +
                              "\nhint: check --token or GLEANER_TOKEN; the server's admin token is in "
                              "<data>/admin.token"};
    case ErrorCode::kPermissionDenied:
      return {kExitUsage, error.message + "\nhint: this token's role may not do that; ask an admin for a "
                                          "token with the right role (gleaner token create --role ...)"};
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kConflict:
    case ErrorCode::kPayloadTooLarge:
      return {kExitUsage, error.message};
    case ErrorCode::kUnavailable:
      return {kExitFailed, error.message + "\nhint: is the server running at that address? check --server or "
                                           "GLEANER_SERVER"};
    case ErrorCode::kInternal:
      break;
  }
  return {kExitFailed, error.message};
}

int ReportOutcome(const Status& status) {
  if (status.ok()) return kExitOk;
  Failure failure = DescribeFailure(status.error());
  std::cerr << "gleaner: " << failure.message << '\n';
  return failure.exit_code;
}

}  // namespace gleaner::cli
