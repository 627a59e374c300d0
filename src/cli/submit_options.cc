#include "cli/submit_options.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <tuple>

#include "api/job_spec.h"
#include "cli/env_assignments.h"
#include "common/units.h"

namespace gleaner::cli {

void AddSubmitOptions(CLI::App& command, SubmitOptions& options) {
  AddClientOptions(command, options.client);
  command.add_option("--name", options.name, "Job name (default: the command's file name)");
  command.add_option("-n,--count", options.count, "Number of tasks")->capture_default_str();
  // One value per flag: otherwise CLI11 would let a list option swallow the
  // '--' that starts the command.
  command.add_option("--input", options.inputs, "File placed in every task's directory (repeatable)")
      ->allow_extra_args(false);
  command
      .add_option("--output", options.outputs, "Glob of result files to keep, relative to the task directory (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--cpus", options.cpus, "Cores each task needs")->capture_default_str();
  command.add_option("--memory", options.memory, "Memory each task needs, e.g. 512M, 2G");
  command.add_option("--max-retries", options.max_retries, "Attempts allowed beyond the first")->capture_default_str();
  command.add_option("--timeout", options.timeout, "Time limit per attempt, e.g. 90s, 5m, 2h");
  command.add_option("--deadline", options.deadline,
                     "Time from submission after which unfinished tasks fail, e.g. 12h");
  command.add_option("--priority", options.priority, "Higher runs first")->capture_default_str();
  command.add_option("--env", options.env, "NAME=VALUE set in every task's environment (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--requirements", options.requirements,
                     "What a host must offer, e.g. 'os == \"linux\" && memory >= 8G && label.site == \"lab3\"' "
                     "(docs/scheduling.md)");
  command.add_option("--rank", options.rank,
                     "Which hosts the job prefers among those that qualify, higher first, e.g. 'memory'");
  command.add_flag("--network", options.network,
                   "Give tasks a network of their own (by default they have none); needs a token an admin "
                   "granted network (`gleaner token create --allow-network`, docs/security.md)");
  command.add_option("--replicas", options.replicas,
                     "Run each task on this many distinct hosts and compare their results (docs/validation.md)")
      ->capture_default_str();
  command.add_option("--quorum", options.quorum,
                     "How many replicas' results must agree to accept one (default: a majority of --replicas)");
  command.add_flag("--no-adaptive", options.no_adaptive,
                   "Replicate every task, even on hosts whose results have long agreed with others");
  command.add_option("--tolerance", options.tolerance,
                     "Replicas' results agree when their numbers differ by at most this fraction, e.g. 1e-9; "
                     "text must still match (docs/validation.md)");
  command.add_option("--abs-tolerance", options.abs_tolerance,
                     "... or by at most this much, for numbers near zero, e.g. 1e-12");
  command.add_option("--validator", options.validator,
                     "Let the server's validator program NAME decide whether replicas' results agree "
                     "(the admin installs them: `gleaner server --validator NAME=PATH`)");
  command.add_option("command", options.command, "The command and its arguments, after '--'")->required();
}

Result<api::JobSpec> BuildJobSpec(const SubmitOptions& options) {
  api::JobSpec spec;
  spec.command = options.command;
  spec.name = options.name.empty() && !spec.command.empty()
                  ? std::filesystem::path(spec.command.front()).filename().string()
                  : options.name;
  spec.count = options.count;
  spec.outputs = options.outputs;
  spec.cpus = options.cpus;
  spec.max_retries = options.max_retries;
  spec.priority = options.priority;
  spec.network = options.network;
  spec.requirements = options.requirements;
  spec.rank = options.rank;
  spec.replicas = options.replicas;
  spec.quorum = options.quorum != 0 ? options.quorum : options.replicas / 2 + 1;
  spec.adaptive = !options.no_adaptive;
  spec.tolerance = options.tolerance;
  spec.abs_tolerance = options.abs_tolerance;
  spec.validator = options.validator;
  if (options.quorum > options.replicas && options.replicas >= 1 && options.replicas <= api::kMaxReplicas) {
    return InvalidArgument("--quorum " + std::to_string(options.quorum) + " is more than --replicas " +
                           std::to_string(options.replicas) + ": a quorum counts agreeing replicas, so raise "
                           "--replicas or lower --quorum");
  }
  if (!options.memory.empty()) {
    auto memory = ParseSize(options.memory);
    if (!memory.ok()) return InvalidArgument("--memory: " + memory.error().message);
    spec.memory = *memory;
  }
  for (auto [flag, text, into] : {std::tuple{"--timeout", &options.timeout, &spec.timeout_ms},
                                   std::tuple{"--deadline", &options.deadline, &spec.deadline_ms}}) {
    if (text->empty()) continue;
    auto duration = ParseDuration(*text);
    if (!duration.ok()) return InvalidArgument(std::string(flag) + ": " + duration.error().message);
    *into = duration->count();
  }
  auto env = ParseEnvAssignments(options.env);
  if (!env.ok()) return env.error();
  spec.env = std::move(*env);
  GLEANER_RETURN_IF_ERROR(api::ValidateJobSpec(spec));
  return spec;
}

}  // namespace gleaner::cli
