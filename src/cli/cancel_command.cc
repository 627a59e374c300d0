// gleaner cancel ID: stops a job's queued and running tasks; finished tasks
// keep their results.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/progress.h"

namespace gleaner::cli {
namespace {

struct CancelOptions {
  ClientOptions client;
  int64_t job_id = 0;
};

Status Cancel(const CancelOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto job = client->Call<api::JobView>("POST", JobPath(opts.job_id, "/cancel"));
  if (!job.ok()) return job.error();
  // The server answers with the job as it now stands; one that had already
  // finished is left as it was.
  std::cout << (job->state == api::JobState::kCancelled ? "" : "nothing to cancel: ") << FinalSummary(*job)
            << '\n';
  return OkStatus();
}

}  // namespace

void AddCancelCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<CancelOptions>();
  CLI::App* cmd = app.add_subcommand("cancel", "Cancel a job's unfinished tasks");
  AddClientOptions(*cmd, opts->client);
  cmd->add_option("id", opts->job_id, "Job id")->required();
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(Cancel(*opts)); });
}

}  // namespace gleaner::cli
