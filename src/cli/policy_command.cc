// gleaner policy set|show [--host HOST]: the owner policy, for all hosts or
// one. `set` changes only the fields given, starting from the policy the
// scope is under now; the server refuses invalid or self-defeating ones.
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "api/policy_spec.h"
#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "common/units.h"

namespace gleaner::cli {
namespace {

struct PolicyOptions {
  ClientOptions client;
  std::string host;
  bool json = false;
  std::optional<std::string> start_after, max_load, vacate_after, window, on_battery;
  std::optional<int64_t> max_cpus, max_cpu_percent;
  std::optional<std::string> max_memory;
};

void Print(const api::PolicyView& view) {
  const api::Policy& p = view.policy;
  char load[16] = "off";
  if (p.max_load) std::snprintf(load, sizeof load, "%.2f", *p.max_load);
  std::cout << "policy of " << view.scope << ":\n"
            << "  start after:  " << FormatDuration(Millis(p.start_after_ms)) << " of owner idle time\n"
            << "  max load:     " << load << " (non-grid CPU share)\n"
            << "  vacate after: " << FormatDuration(Millis(p.vacate_after_ms)) << " suspended\n"
            << "  window:       " << (p.window.empty() ? "always" : p.window) << '\n'
            << "  on battery:   " << (p.on_battery ? "yes" : "no") << '\n'
            << "  max cpus:     " << (p.max_cpus == 0 ? "all slots" : std::to_string(p.max_cpus)) << '\n'
            << "  max cpu:      "
            << (p.max_cpu_percent == 0 || p.max_cpu_percent == 100 ? "no cap"
                                                                    : std::to_string(p.max_cpu_percent) + "% of the host")
            << '\n'
            << "  max memory:   " << (p.max_memory == 0 ? "no cap" : FormatSize(p.max_memory)) << " for all tasks\n";
}

Status Apply(const PolicyOptions& opts, api::Policy& p) {
  auto duration = [](const std::string& flag, const std::string& text, int64_t& out) -> Status {
    auto d = ParseDuration(text);
    if (!d.ok()) return InvalidArgument(flag + ": " + d.error().message);
    out = d->count();
    return OkStatus();
  };
  if (opts.start_after) GLEANER_RETURN_IF_ERROR(duration("--start-after", *opts.start_after, p.start_after_ms));
  if (opts.vacate_after) GLEANER_RETURN_IF_ERROR(duration("--vacate-after", *opts.vacate_after, p.vacate_after_ms));
  if (opts.max_load) {
    if (*opts.max_load == "off") {
      p.max_load.reset();
    } else {
      std::istringstream in(*opts.max_load);
      double load = 0;
      if (!(in >> load) || !in.eof()) return InvalidArgument("--max-load: give a share of all cores like 0.3, or off");
      p.max_load = load;
    }
  }
  if (opts.window) p.window = *opts.window == "always" ? "" : *opts.window;
  if (opts.on_battery) p.on_battery = *opts.on_battery == "yes";
  if (opts.max_cpus) p.max_cpus = *opts.max_cpus;
  if (opts.max_cpu_percent) {
    if (*opts.max_cpu_percent < 1 || *opts.max_cpu_percent > 100) {
      return InvalidArgument("--max-cpu-percent: give 1 to 100, the share of the host's CPU time tasks may use "
                             "(100: no cap)");
    }
    p.max_cpu_percent = *opts.max_cpu_percent == 100 ? 0 : *opts.max_cpu_percent;
  }
  if (opts.max_memory) {
    if (*opts.max_memory == "off" || *opts.max_memory == "0") {
      p.max_memory = 0;
    } else {
      auto size = ParseSize(*opts.max_memory);
      if (!size.ok()) return InvalidArgument("--max-memory: " + size.error().message + ", or off");
      p.max_memory = *size;
    }
  }
  return api::ValidatePolicy(p);
}

Status SetPolicy(const PolicyOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto current = client->Call<api::PolicyView>("GET", PolicyPath(opts.host));
  if (!current.ok()) return current.error();
  api::Policy policy = current->policy;
  GLEANER_RETURN_IF_ERROR(Apply(opts, policy));
  auto set = client->Call<api::PolicyView>("PUT", PolicyPath(opts.host), api::Encode(policy));
  if (!set.ok()) return set.error();
  Print(*set);
  return OkStatus();
}

Status ShowPolicy(const PolicyOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto view = client->Call<api::PolicyView>("GET", PolicyPath(opts.host));
  if (!view.ok()) return view.error();
  if (opts.json) {
    std::cout << api::Encode(*view) << '\n';
  } else {
    Print(*view);
  }
  return OkStatus();
}

}  // namespace

void AddPolicyCommand(CLI::App& app, int& exit_code) {
  CLI::App* policy = app.add_subcommand("policy", "Set or show the policy that protects desktop owners");
  policy->require_subcommand(1);
  auto opts = std::make_shared<PolicyOptions>();

  CLI::App* set = policy->add_subcommand("set", "Change the owner policy (only the fields given)");
  AddClientOptions(*set, opts->client);
  set->add_option("--host", opts->host, "one host's policy (default: all hosts)");
  set->add_option("--start-after", opts->start_after, "owner idle time before work starts or resumes, e.g. 5m");
  set->add_option("--max-load", opts->max_load, "non-grid CPU share (0-1] above which work suspends, or off");
  set->add_option("--vacate-after", opts->vacate_after, "suspended this long, work is vacated to another host, e.g. 10m");
  set->add_option("--window", opts->window, "when work may run, e.g. \"Mon-Fri 19:00-07:00, all weekend\", or always");
  set->add_option("--on-battery", opts->on_battery, "run while on battery power")->check(CLI::IsMember({"yes", "no"}));
  set->add_option("--max-cpus", opts->max_cpus, "slots used at most on a host (0: all)");
  set->add_option("--max-cpu-percent", opts->max_cpu_percent,
                  "share of the host's CPU time all tasks use at most, 1-100 (100: no cap)");
  set->add_option("--max-memory", opts->max_memory,
                  "memory all tasks use at most, and offered to the scheduler, e.g. 4GiB, or off");
  set->callback([opts, &exit_code] { exit_code = ReportOutcome(SetPolicy(*opts)); });

  CLI::App* show = policy->add_subcommand("show", "Show the owner policy in force");
  AddClientOptions(*show, opts->client);
  show->add_option("--host", opts->host, "the policy this host is under (default: all hosts)");
  show->add_flag("--json", opts->json, "Print the API's JSON");
  show->callback([opts, &exit_code] { exit_code = ReportOutcome(ShowPolicy(*opts)); });
}

}  // namespace gleaner::cli
