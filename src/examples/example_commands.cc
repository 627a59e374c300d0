#include <CLI/CLI.hpp>

#include "command.h"

namespace gleaner::examples {
void AddExampleCommands(CLI::App& app, int& exit_code) {}
}  // namespace gleaner::examples
