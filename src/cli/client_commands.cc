#include <CLI/CLI.hpp>

#include "command.h"

namespace gleaner::cli {
void AddClientCommands(CLI::App& app, int& exit_code) {}
}  // namespace gleaner::cli
