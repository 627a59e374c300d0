// gleaner tasks ID: the tasks of one job, optionally only those in one state.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/table.h"
#include "common/units.h"

namespace gleaner::cli {
namespace {

struct TasksOptions {
  ClientOptions client;
  int64_t job_id = 0;
  std::string state;
  bool json = false;
};

std::string ExitText(const api::TaskView& task) {
  if (task.signal) return "signal " + std::to_string(*task.signal);
  if (task.exit_code) return std::to_string(*task.exit_code);
  return "-";
}

Status ListTasks(const TasksOptions& opts) {
  std::optional<api::TaskState> only;
  if (!opts.state.empty()) {
    only = api::TaskStateFromName(opts.state);
    if (!only) {
      return InvalidArgument("unknown task state '" + opts.state +
                             "'; use queued, running, done, failed or cancelled");
    }
  }
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto list = client->Call<api::TaskList>("GET", JobPath(opts.job_id, "/tasks"));
  if (!list.ok()) return list.error();
  if (only) std::erase_if(list->tasks, [&](const api::TaskView& t) { return t.state != *only; });
  if (opts.json) {
    std::cout << api::Encode(*list) << '\n';
    return OkStatus();
  }
  // Replicated jobs (docs/validation.md) get a column saying how far each
  // task's quorum is.
  bool replicated = std::any_of(list->tasks.begin(), list->tasks.end(),
                                [](const api::TaskView& t) { return !t.validation.empty(); });
  std::vector<std::string> columns = {"INDEX", "STATE", "ATTEMPTS", "HOST", "EXIT", "REASON", "WALL"};
  if (replicated) columns.push_back("VALIDATION");
  Table table(columns);
  for (const auto& task : list->tasks) {
    std::vector<std::string> row = {std::to_string(task.index), api::TaskStateName(task.state),
                                    std::to_string(task.attempts), task.host.empty() ? "-" : task.host,
                                    ExitText(task), task.reason.empty() ? "-" : task.reason,
                                    task.wall_ms > 0 ? FormatDurationCoarse(Millis(task.wall_ms)) : "-"};
    if (replicated) {
      row.push_back(task.validation.empty() ? "-" : task.validation == task.reason ? "see REASON" : task.validation);
    }
    table.AddRow(row);
  }
  std::cout << table.Render();
  return OkStatus();
}

}  // namespace

void AddTasksCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<TasksOptions>();
  CLI::App* cmd = app.add_subcommand("tasks", "List the tasks of a job");
  AddClientOptions(*cmd, opts->client);
  cmd->add_option("id", opts->job_id, "Job id")->required();
  cmd->add_option("--state", opts->state, "Only tasks in this state: queued, running, done, failed, cancelled");
  cmd->add_flag("--json", opts->json, "Print the API's JSON");
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(ListTasks(*opts)); });
}

}  // namespace gleaner::cli
