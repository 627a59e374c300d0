#include "cli/client_options.h"

#include <CLI/CLI.hpp>

namespace gleaner::cli {

void AddClientOptions(CLI::App& command, ClientOptions& options) {
  command.add_option("--server", options.server, "Server URL, e.g. https://grid.example.org:7070 (optional with a token string)")
      ->envname("GLEANER_SERVER");
  command.add_option("--token", options.token, "Token string (gleaner://…) or bare secret")->envname("GLEANER_TOKEN");
}

Result<ApiClient> Connect(const ClientOptions& options) {
  if (options.token.empty()) {
    return InvalidArgument(
        "no token given; set GLEANER_TOKEN or pass --token; the server's admin token is in "
        "<data>/admin.token");
  }
  auto endpoint = ResolveServerEndpoint(options.server, options.token);
  if (!endpoint.ok()) return endpoint.error();
  return ApiClient(*endpoint);
}

}  // namespace gleaner::cli
