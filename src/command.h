// How a subcommand plugs into the `gleaner` binary: each area adds its
// subcommands to the root CLI11 app; the chosen one stores its exit code.
#pragma once

namespace CLI {
class App;
}

namespace gleaner {

// Exit codes of every command (DESIGN.md contract).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the operation failed, e.g. a job failed
inline constexpr int kExitUsage = 2;   // usage or bad input

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
