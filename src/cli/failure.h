// The user edge of every command: an Error becomes one human sentence on
// stderr (plus a hint on how to fix it) and the exit code that the one table
// in common/status.h gives its code.
// Bad input and the server's 4xx answers exit 2; everything else exits 1.
#pragma once

#include <string>

#include "common/status.h"

namespace gleaner::cli {

struct Failure {
  int exit_code = 0;
  std::string message;  // what went wrong and, where we know it, how to fix it
};

// Pure mapping, so tests pin which errors are the caller's fault (2) and which
// are operational (1).
Failure DescribeFailure(const Error& error);

// kExitOk for an ok status; otherwise prints the failure on stderr and returns
// its exit code.
int ReportOutcome(const Status& status);

}  // namespace gleaner::cli
