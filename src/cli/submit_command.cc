// gleaner submit: uploads the inputs (each once, by content) and submits a job;
// prints the new job's id alone on stdout so scripts can capture it.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <map>

#include "cli/api_paths.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/submit_options.h"

namespace gleaner::cli {
namespace {

// Each input file by the name it gets in the task directory (its basename).
Result<std::map<std::string, std::string>> LocateInputs(const std::vector<std::string>& paths) {
  std::map<std::string, std::string> by_name;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return InvalidArgument("input '" + path + "' is not a readable file; check the path given to --input");
    }
    std::string name = std::filesystem::path(path).filename().string();
    auto [it, added] = by_name.emplace(name, path);
    if (!added && !std::filesystem::equivalent(it->second, path, ec)) {
      return InvalidArgument("inputs '" + it->second + "' and '" + path + "' would both be named '" + name +
                             "' in the task directory; rename one");
    }
  }
  return by_name;
}

Result<int64_t> Submit(const SubmitOptions& opts) {
  auto spec = BuildJobSpec(opts);
  if (!spec.ok()) return spec.error();
  auto inputs = LocateInputs(opts.inputs);
  if (!inputs.ok()) return inputs.error();
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  for (const auto& [name, path] : *inputs) {
    auto ref = client->UploadBlob(path, name);
    if (!ref.ok()) return ref.error();
    spec->inputs.push_back(std::move(*ref));
  }
  auto submitted = client->Post<api::SubmitResponse>(kJobsPath, *spec);
  if (!submitted.ok()) return submitted.error();
  // Accepted all the same: stdout keeps just the id for scripts.
  if (!submitted->warning.empty()) std::cerr << "warning: job " << submitted->job_id << ": " << submitted->warning << '\n';
  return submitted->job_id;
}

}  // namespace

void AddSubmitCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<SubmitOptions>();
  CLI::App* cmd = app.add_subcommand(
      "submit", "Submit a job: run COMMAND once per task; {i} is the task index, {n} the count");
  AddSubmitOptions(*cmd, *opts);
  cmd->callback([opts, &exit_code] {
    auto job_id = Submit(*opts);
    exit_code = ReportOutcome(job_id.status());
    if (job_id.ok()) std::cout << *job_id << '\n';
  });
}

}  // namespace gleaner::cli
