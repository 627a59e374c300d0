// How a subcommand plugs into the `gleaner` binary: each area adds its
// subcommands to the root CLI11 app; the chosen one stores its exit code.
#pragma once

#include "common/status.h"  // kExitOk, kExitFailed, kExitUsage, ExitCodeOf

namespace CLI {
class App;
}

namespace gleaner {

namespace server {
void AddServerCommand(CLI::App& app, int& exit_code);
// check, restore: tools on a data directory.
void AddMaintenanceCommands(CLI::App& app, int& exit_code);
}
namespace agent {
void AddAgentCommand(CLI::App& app, int& exit_code);
}
namespace cli {
void AddClientCommands(CLI::App& app, int& exit_code);
}
namespace examples {
void AddExampleCommands(CLI::App& app, int& exit_code);
}

}  // namespace gleaner
