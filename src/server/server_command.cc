#include <CLI/CLI.hpp>

#include "command.h"

namespace gleaner::server {
void AddServerCommand(CLI::App& app, int& exit_code) { app.add_subcommand("server", "coordinate the grid (not built yet)"); }
}  // namespace gleaner::server
