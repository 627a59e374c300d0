#include <CLI/CLI.hpp>

#include "command.h"
#include "examples/commands.h"

namespace gleaner::examples {

void AddExampleCommands(CLI::App& app, int& exit_code) {
  CLI::App* example = app.add_subcommand("example", "Demo workloads that tasks can run");
  example->require_subcommand(1);
  AddMandelbrotTileCommand(*example, exit_code);
  AddMandelbrotAssembleCommand(*example, exit_code);
  // Hidden from `gleaner --help`: a tool for demos, not for users. Set last,
  // since CLI11 subcommands inherit their parent's group when added.
  example->group("");
}

}  // namespace gleaner::examples
