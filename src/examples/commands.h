// The demo workload's subcommands under `gleaner example`, one file each.
// Each hangs its subcommand on `parent` and stores its exit code in `exit_code`.
#pragma once

namespace CLI {
class App;
}

namespace gleaner::examples {

void AddMandelbrotTileCommand(CLI::App& parent, int& exit_code);
void AddMandelbrotAssembleCommand(CLI::App& parent, int& exit_code);

}  // namespace gleaner::examples
