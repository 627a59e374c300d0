// gleaner job ID: one job's summary.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/display.h"
#include "cli/failure.h"
#include "cli/table.h"
#include "common/clock.h"
#include "common/units.h"

namespace gleaner::cli {
namespace {

struct JobOptions {
  ClientOptions client;
  int64_t job_id = 0;
  bool json = false;
};

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "-" : out;
}

std::string Describe(const api::JobView& job) {
  const int64_t now = NowUnixMillis();
  const api::JobSpec& spec = job.spec;
  std::vector<std::string> inputs;
  for (const auto& in : spec.inputs) inputs.push_back(in.name + " (" + FormatSize(in.size) + ")");
  std::vector<std::pair<std::string, std::string>> fields = {
      {"job", std::to_string(job.id) + (spec.name.empty() ? "" : " " + spec.name)},
      {"state", api::JobStateName(job.state)},
      {"owner", job.owner.empty() ? "-" : job.owner},
      {"command", ShellLine(spec.command)},
      {"tasks", CountsText(job.counts, spec.count) + " · " + std::to_string(job.counts.queued) + " queued"},
      {"inputs", Joined(inputs)},
      {"outputs", Joined(spec.outputs)},
      {"network", spec.network ? "yes: a network of its own (user-mode NAT; no desktop loopback, no LAN)" : "none"},
      {"created", LocalTime(job.created_at) + " (" + Age(job.created_at, now) + " ago)"},
      {"finished", job.finished_at == 0 ? "-"
                                        : LocalTime(job.finished_at) + " (took " +
                                              Age(job.created_at, job.finished_at) + ")"},
  };
  return RenderFields(fields);
}

Status ShowJob(const JobOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto job = client->Call<api::JobView>("GET", JobPath(opts.job_id));
  if (!job.ok()) return job.error();
  std::cout << (opts.json ? api::Encode(*job) + "\n" : Describe(*job));
  return OkStatus();
}

}  // namespace

void AddJobCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<JobOptions>();
  CLI::App* cmd = app.add_subcommand("job", "Show one job");
  AddClientOptions(*cmd, opts->client);
  cmd->add_option("id", opts->job_id, "Job id")->required();
  cmd->add_flag("--json", opts->json, "Print the API's JSON");
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(ShowJob(*opts)); });
}

}  // namespace gleaner::cli
