// gleaner host HOST [--why]: one host's facts, owner and run state; with
// --why, in words why it runs work or not.
// gleaner host release HOST: lets a quarantined host take work again (admin).
// gleaner host revoke HOST: refuses the host's credential from now on and
// requeues its work elsewhere (admin).
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

// The host named `name`, or whose id is `name`.
Result<api::HostView> FindHost(ApiClient& client, const std::string& name) {
  auto list = client.Call<api::HostList>("GET", kHostsPath);
  if (!list.ok()) return list.error();
  for (const auto& host : list->hosts) {
    if (host.facts.hostname == name || std::to_string(host.id) == name) return host;
  }
  return NotFound("no host '" + name + "'; `gleaner hosts` lists them by name and id");
}

Status ReleaseHost(const HostOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto host = FindHost(*client, opts.host);
  if (!host.ok()) return host.error();
  if (!host->quarantined) {
    std::cout << "host " << host->facts.hostname << " is not quarantined; nothing to release\n";
    return OkStatus();
  }
  auto released = client->CallRaw("POST", HostReleasePath(host->id));
  if (!released.ok()) return released.error();
  std::cout << "host " << host->facts.hostname << " released from quarantine (it was: " << host->quarantine_reason
            << "); it takes work again\n";
  return OkStatus();
}

Status RevokeHost(const HostOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto host = FindHost(*client, opts.host);
  if (!host.ok()) return host.error();
  auto revoked = client->Call<api::HostView>("POST", HostRevokePath(host->id));
  if (!revoked.ok()) return revoked.error();
  std::cout << "host " << revoked->facts.hostname << " (id " << revoked->id
            << ") revoked: its agent is refused from now on and its work goes elsewhere; to bring it back, enrol it "
               "again with a new join token\n";
  return OkStatus();
}

Status ShowHost(const HostOptions& opts) {
  if (opts.host.empty()) return InvalidArgument("say which host: `gleaner host NAME`, `gleaner host release NAME` or `gleaner host revoke NAME`");
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto host = FindHost(*client, opts.host);
  if (!host.ok()) return host.error();
  const api::HostView* found = &*host;
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
  cmd->add_option("host", opts->host, "host name or id");
  cmd->add_flag("--why", opts->why, "Say in words why the host runs work or not");
  cmd->add_flag("--json", opts->json, "Print the API's JSON");
  auto release_opts = std::make_shared<HostOptions>();
  CLI::App* release = cmd->add_subcommand("release", "Let a quarantined host take work again (admin)");
  AddClientOptions(*release, release_opts->client);
  release->add_option("host", release_opts->host, "host name or id")->required();
  release->callback([release_opts, &exit_code] { exit_code = ReportOutcome(ReleaseHost(*release_opts)); });
  auto revoke_opts = std::make_shared<HostOptions>();
  CLI::App* revoke = cmd->add_subcommand("revoke", "Refuse a host's agent from now on; its work goes elsewhere (admin)");
  AddClientOptions(*revoke, revoke_opts->client);
  revoke->add_option("host", revoke_opts->host, "host name or id")->required();
  revoke->callback([revoke_opts, &exit_code] { exit_code = ReportOutcome(RevokeHost(*revoke_opts)); });
  cmd->callback([opts, release, revoke, &exit_code] {
    if (release->parsed() || revoke->parsed()) return;  // a subcommand did the work
    exit_code = ReportOutcome(ShowHost(*opts));
  });
}

}  // namespace gleaner::cli
