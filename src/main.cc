// gleaner: one binary, many subcommands (server, agent, and the client CLI).
#include <CLI/CLI.hpp>
#include <csignal>

#include "command.h"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a peer closing a socket is an error value, not a death
  CLI::App app{
      "Gleaner: an enterprise desktop grid. One server coordinates the idle CPU cycles of an\n"
      "organisation's desktops; agents run work only while their owners are away."};
  app.set_version_flag("--version", GLEANER_VERSION);
  app.require_subcommand(1);
  int exit_code = gleaner::kExitOk;
  gleaner::server::AddServerCommand(app, exit_code);
  gleaner::server::AddMaintenanceCommands(app, exit_code);
  gleaner::agent::AddAgentCommand(app, exit_code);
  gleaner::cli::AddClientCommands(app, exit_code);
  gleaner::examples::AddExampleCommands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help or the parse error with a hint
    return rc == 0 ? gleaner::kExitOk : gleaner::kExitUsage;
  }
  return exit_code;
}
