// Where a client finds the server and how it trusts it, from what the user
// gave: --server/GLEANER_SERVER and --token/GLEANER_TOKEN, the token being a
// bare secret or the one string of api/token_string.h. An explicit server URL
// wins over the token string's; the token string's CA pin is kept either way.
#pragma once

#include <string>

#include "client/http_client.h"
#include "common/status.h"

namespace gleaner {

struct ServerEndpoint {
  ServerUrl url;
  std::string secret;     // sent as the bearer token
  std::string ca_sha256;  // the CA to pin over https; empty: the system's trust store
};

// kInvalidArgument, with a hint, when neither gives a server or a part is malformed.
Result<ServerEndpoint> ResolveServerEndpoint(const std::string& server, const std::string& token);

}  // namespace gleaner
