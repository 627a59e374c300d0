// The connection settings every client command shares (--server or
// GLEANER_SERVER, --token or GLEANER_TOKEN) and the one place an ApiClient is
// built from them. A missing or malformed setting is kInvalidArgument with a hint.
#pragma once

#include <string>

#include "client/api_client.h"
#include "common/status.h"

namespace CLI {
class App;
}

namespace gleaner::cli {

struct ClientOptions {
  std::string server;
  std::string token;
};

// Registers --server and --token on `command`; `options` must outlive parsing.
void AddClientOptions(CLI::App& command, ClientOptions& options);

Result<ApiClient> Connect(const ClientOptions& options);

}  // namespace gleaner::cli
