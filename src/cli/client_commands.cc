#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "command.h"

namespace gleaner::cli {

void AddClientCommands(CLI::App& app, int& exit_code) {
  AddSubmitCommand(app, exit_code);
  AddJobsCommand(app, exit_code);
  AddJobCommand(app, exit_code);
  AddTasksCommand(app, exit_code);
  AddHostsCommand(app, exit_code);
  AddHostCommand(app, exit_code);
  AddPolicyCommand(app, exit_code);
  AddWaitCommand(app, exit_code);
  AddFetchCommand(app, exit_code);
  AddCancelCommand(app, exit_code);
  AddTokenCommand(app, exit_code);
  AddReportCommand(app, exit_code);
  AddBackupCommand(app, exit_code);
  AddAuditCommand(app, exit_code);
}

}  // namespace gleaner::cli
