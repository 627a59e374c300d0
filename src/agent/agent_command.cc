#include <CLI/CLI.hpp>

#include "command.h"

namespace gleaner::agent {
void AddAgentCommand(CLI::App& app, int& exit_code) { app.add_subcommand("agent", "run work on this desktop (not built yet)"); }
}  // namespace gleaner::agent
