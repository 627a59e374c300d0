// Enrols many simulated hosts fast: creates a join token with the admin
// token, then enrols through many keep-alive links at once (the server group
// commits them). Blocks until done; returns the hosts' credentials in order.
#pragma once

#include <string>
#include <vector>

#include "agent_link.h"
#include "common/status.h"

namespace gleaner::bench {

Result<std::vector<std::string>> EnrollHosts(const std::string& server_url, const std::string& admin_token,
                                             int count, int slots);

}  // namespace gleaner::bench
