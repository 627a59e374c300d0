// The client subcommands, one file each; AddClientCommands registers them all.
// Each Add* function hangs its subcommand on `app`; its callback stores the
// command's exit code (command.h) in `exit_code`.
#pragma once

namespace CLI {
class App;
}

namespace gleaner::cli {

void AddSubmitCommand(CLI::App& app, int& exit_code);
void AddJobsCommand(CLI::App& app, int& exit_code);
void AddJobCommand(CLI::App& app, int& exit_code);
void AddTasksCommand(CLI::App& app, int& exit_code);
void AddHostsCommand(CLI::App& app, int& exit_code);
void AddHostCommand(CLI::App& app, int& exit_code);
void AddPolicyCommand(CLI::App& app, int& exit_code);
void AddWaitCommand(CLI::App& app, int& exit_code);
void AddFetchCommand(CLI::App& app, int& exit_code);
void AddCancelCommand(CLI::App& app, int& exit_code);
void AddTokenCommand(CLI::App& app, int& exit_code);
void AddReportCommand(CLI::App& app, int& exit_code);
void AddBackupCommand(CLI::App& app, int& exit_code);
void AddAuditCommand(CLI::App& app, int& exit_code);

}  // namespace gleaner::cli
