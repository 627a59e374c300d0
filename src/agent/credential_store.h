// The agent's identity after enrolment: <work>/agent.json {server, host_id,
// credential, ca_sha256}, mode 0600, written durably. Plain functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"

namespace gleaner::agent {

struct AgentCredential {
  std::string server;  // the URL that issued it
  int64_t host_id = 0;
  std::string credential;
  std::string ca_sha256;  // the server's CA, pinned at enrolment; empty over plain HTTP
};

// nullopt when the file does not exist (not enrolled yet); an error when it
// exists but cannot be read or understood.
Result<std::optional<AgentCredential>> LoadCredential(const std::string& path);
Status SaveCredential(const std::string& path, const AgentCredential& credential);

}  // namespace gleaner::agent
