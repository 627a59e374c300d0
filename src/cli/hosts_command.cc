// gleaner hosts: the enrolled desktops and what they are doing.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/display.h"
#include "cli/failure.h"
#include "cli/owner_state.h"
#include "cli/table.h"
#include "common/clock.h"
#include "common/units.h"

namespace gleaner::cli {
namespace {

struct HostsOptions {
  ClientOptions client;
  bool json = false;
};

// "75% (3/4)": how often the host's replicated results agreed with the
// accepted ones (docs/validation.md); "-" before it has any.
std::string ReliabilityText(const api::HostView& host) {
  if (!host.reliability) return "-";
  return std::to_string(static_cast<int>(*host.reliability * 100 + 0.5)) + "% (" + std::to_string(host.agreements) +
         "/" + std::to_string(host.agreements + host.disagreements) + ")";
}

Status ListHosts(const HostsOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto list = client->Call<api::HostList>("GET", kHostsPath);
  if (!list.ok()) return list.error();
  if (opts.json) {
    std::cout << api::Encode(*list) << '\n';
    return OkStatus();
  }
  const int64_t now = NowUnixMillis();
  Table table({"ID", "HOSTNAME", "STATE", "OWNER", "SLOTS", "CORES", "MEMORY", "OS", "LAST-SEEN", "RELIABILITY",
               "SANDBOX"});
  for (const auto& host : list->hosts) {
    const api::HostFacts& facts = host.facts;
    table.AddRow({std::to_string(host.id), facts.hostname, RunStateText(host), OwnerText(host, now),
                  std::to_string(host.slots_used) + "/" + std::to_string(host.slots), std::to_string(facts.cores),
                  FormatSize(facts.memory), facts.arch.empty() ? facts.os : facts.os + "/" + facts.arch,
                  host.last_seen == 0 ? "never" : Age(host.last_seen, now) + " ago", ReliabilityText(host),
                  facts.sandbox.empty() ? "unknown" : facts.sandbox});
  }
  std::cout << table.Render();
  return OkStatus();
}

}  // namespace

void AddHostsCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<HostsOptions>();
  CLI::App* cmd = app.add_subcommand("hosts", "List enrolled hosts");
  AddClientOptions(*cmd, opts->client);
  cmd->add_flag("--json", opts->json, "Print the API's JSON");
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(ListHosts(*opts)); });
}

}  // namespace gleaner::cli
