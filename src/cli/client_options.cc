#include "cli/client_options.h"

#include <CLI/CLI.hpp>

namespace gleaner::cli {

void AddClientOptions(CLI::App& command, ClientOptions& options) {
  command.add_option("--server", options.server, "Server URL, e.g. http://127.0.0.1:8080")
      ->envname("GLEANER_SERVER");
  command.add_option("--token", options.token, "Bearer token for the server")->envname("GLEANER_TOKEN");
}

Result<ApiClient> Connect(const ClientOptions& options) {
  if (options.server.empty()) {
    return InvalidArgument(
        "no server given; set GLEANER_SERVER or pass --server (the server writes its URL to "
        "<data>/server.url)");
  }
  if (options.token.empty()) {
    return InvalidArgument(
        "no token given; set GLEANER_TOKEN or pass --token; the server's admin token is in "
        "<data>/admin.token");
  }
  auto url = ServerUrl::Parse(options.server);
  if (!url.ok()) return url.error();
  return ApiClient(std::move(*url), options.token);
}

}  // namespace gleaner::cli
