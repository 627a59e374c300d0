// gleaner fetch ID --to DIR: downloads every task's outputs and captured
// stdout/stderr into DIR/<index>/, each verified against its hash.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/fetch_plan.h"

namespace gleaner::cli {
namespace {

struct FetchOptions {
  ClientOptions client;
  int64_t job_id = 0;
  std::string dir;
};

Status Fetch(const FetchOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto list = client->Call<api::TaskList>("GET", JobPath(opts.job_id, "/tasks"));
  if (!list.ok()) return list.error();
  auto plan = PlanFetch(*list, opts.dir);
  if (!plan.ok()) return plan.error();
  for (const auto& download : plan->downloads) {
    std::error_code ec;
    std::filesystem::create_directories(download.dest.parent_path(), ec);
    if (ec) {
      return InvalidArgument("cannot create " + download.dest.parent_path().string() + ": " + ec.message() +
                             "; choose another --to directory");
    }
    GLEANER_RETURN_IF_ERROR(client->DownloadBlob(download.sha256, download.dest.string(), opts.job_id, download.task));
  }
  std::cout << "fetched " << plan->downloads.size() << " files of " << plan->tasks << " tasks into " << opts.dir
            << '\n';
  return OkStatus();
}

}  // namespace

void AddFetchCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<FetchOptions>();
  CLI::App* cmd = app.add_subcommand("fetch", "Download a job's outputs into DIR/<task index>/");
  AddClientOptions(*cmd, opts->client);
  cmd->add_option("id", opts->job_id, "Job id")->required();
  cmd->add_option("--to", opts->dir, "Directory to fill")->required();
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(Fetch(*opts)); });
}

}  // namespace gleaner::cli
