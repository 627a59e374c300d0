// Enrolment: turning a join token into this host's own credential, once. The
// credential is stored durably before it is used, so a crash cannot enrol the
// same desktop twice. Blocking; call from the main thread.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "agent/credential_store.h"
#include "api/types.h"
#include "client/http_client.h"
#include "common/status.h"

namespace gleaner::agent {

struct EnrollmentParams {
  std::string credential_file;
  std::string server;      // --server or GLEANER_SERVER; may be empty once enrolled
  std::string join_token;  // needed only to enrol
  api::EnrollRequest request;
};

// Sleeps between retries while the server is away; false means give up (stop).
using RetryWait = std::function<bool(std::chrono::milliseconds)>;

// The stored credential, or a new one from the server. kInvalidArgument and
// kUnauthenticated say what the user must fix; kUnavailable means stopped while
// the server was away.
Result<AgentCredential> LoadOrEnroll(const EnrollmentParams& params, const RetryWait& wait);

}  // namespace gleaner::agent
