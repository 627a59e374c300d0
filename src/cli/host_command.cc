// gleaner host HOST [--why]: one host's facts, owner and run state; with
// --why, in words why it runs work or not.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/owner_state.h"
#include "common/clock.h"
#include "common/units.h"

namespace gleaner::cli {
namespace {

struct HostOptions {
  ClientOptions client;
  std::string host;  // name or id
  bool why = false;
  bool json = false;
};

Status ShowHost(const HostOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto list = client->Call<api::HostList>("GET", kHostsPath);
  if (!list.ok()) return list.error();
  const api::HostView* found = nullptr;
  for (const auto& host : list->hosts) {
    if (host.facts.hostname == opts.host || std::to_string(host.id) == opts.host) found = &host;
  }
  if (!found) return NotFound("no host '" + opts.host + "'; `gleaner hosts` lists them by name and id");
  const int64_t now = NowUnixMillis();
  if (opts.json) {
    std::cout << api::Encode(*found) << '\n';
  } else if (opts.why) {
    std::cout << found->facts.hostname << ": " << WhyText(*found, now) << '\n';
  } else {
    std::cout << "host " << found->id << " " << found->facts.hostname << '\n'
              << "  state:  " << RunStateText(*found) << '\n'
              << "  owner:  " << OwnerText(*found, now) << '\n'
              << "  slots:  " << found->slots_used << "/" << found->slots << " used\n"
              << "  facts:  " << found->facts.cores << " cores, " << FormatSize(found->facts.memory) << ", "
              << found->facts.os << "/" << found->facts.arch << '\n'
              << "  why:    " << WhyText(*found, now) << '\n';
  }
  return OkStatus();
}

}  // namespace

void AddHostCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<HostOptions>();
  CLI::App* cmd = app.add_subcommand("host", "Show one host, and why it runs work or not");
  AddClientOptions(*cmd, opts->client);
  cmd->add_option("host", opts->host, "host name or id")->required();
  cmd->add_flag("--why", opts->why, "Say in words why the host runs work or not");
  cmd->add_flag("--json", opts->json, "Print the API's JSON");
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(ShowHost(*opts)); });
}

}  // namespace gleaner::cli
