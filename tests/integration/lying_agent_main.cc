// gleaner-lying-agent: `gleaner agent` with the test-only result hook set
// (agent/test_seams.h), so every successful attempt's stdout and output files
// get a line appended before upload: a host that returns wrong results, for
// the tests of result validation (docs/validation.md). Built with the tests only.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "agent/test_seams.h"
#include "command.h"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  gleaner::agent::SetResultHookForTests([](const std::string& path) {
    spdlog::error("TEST FAULT SWITCH: corrupting '{}'", path);
    if (FILE* f = std::fopen(path.c_str(), "ae")) {
      std::fputs("corrupted by gleaner-lying-agent\n", f);
      std::fclose(f);
    }
  });
  spdlog::set_default_logger(spdlog::stderr_color_mt("liar"));  // as the agent's own log: on stderr
  spdlog::error("TEST FAULT SWITCH ON: this agent deliberately returns WRONG results; it is for tests only");
  CLI::App app{"gleaner-lying-agent: an agent that returns wrong results, for tests"};
  app.require_subcommand(1);
  int exit_code = gleaner::kExitOk;
  gleaner::agent::AddAgentCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? gleaner::kExitOk : gleaner::kExitUsage;
  }
  return exit_code;
}
