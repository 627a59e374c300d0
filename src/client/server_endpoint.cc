#include "client/server_endpoint.h"

#include "api/token_string.h"

namespace gleaner {

Result<ServerEndpoint> ResolveServerEndpoint(const std::string& server, const std::string& token) {
  auto parsed = api::ParseTokenString(token);
  if (!parsed.ok()) return parsed.error();
  std::string url_text = server.empty() ? parsed->server_url : server;
  if (url_text.empty()) {
    return InvalidArgument(
        "no server given; set GLEANER_SERVER or pass --server, or use the full token string (gleaner://…) "
        "that `gleaner token create` prints; the server writes its URL to <data>/server.url");
  }
  auto url = ServerUrl::Parse(url_text);
  if (!url.ok()) return url.error();
  return ServerEndpoint{std::move(*url), std::move(parsed->secret), std::move(parsed->ca_sha256)};
}

}  // namespace gleaner
