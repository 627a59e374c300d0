// gleaner jobs: one line per job the token may see.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/display.h"
#include "cli/failure.h"
#include "cli/table.h"
#include "common/clock.h"

namespace gleaner::cli {
namespace {

struct JobsOptions {
  ClientOptions client;
  bool json = false;
};

Status ListJobs(const JobsOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto list = client->Call<api::JobList>("GET", kJobsPath);
  if (!list.ok()) return list.error();
  if (opts.json) {
    std::cout << api::Encode(*list) << '\n';
    return OkStatus();
  }
  const int64_t now = NowUnixMillis();
  Table table({"ID", "NAME", "STATE", "DONE/TOTAL", "RUNNING", "FAILED", "AGE"});
  for (const auto& job : list->jobs) {
    table.AddRow({std::to_string(job.id), job.spec.name.empty() ? "-" : job.spec.name,
                  api::JobStateName(job.state),
                  std::to_string(job.counts.done) + "/" + std::to_string(job.spec.count),
                  std::to_string(job.counts.running), std::to_string(job.counts.failed),
                  Age(job.created_at, now)});
  }
  std::cout << table.Render();
  return OkStatus();
}

}  // namespace

void AddJobsCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<JobsOptions>();
  CLI::App* cmd = app.add_subcommand("jobs", "List jobs");
  AddClientOptions(*cmd, opts->client);
  cmd->add_flag("--json", opts->json, "Print the API's JSON");
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(ListJobs(*opts)); });
}

}  // namespace gleaner::cli
