// gleaner audit: the server's log of admin and security events — tokens made
// and revoked, hosts enrolled, revoked and released, policies set, backups,
// cancellations and refused requests — newest first.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/display.h"
#include "cli/failure.h"
#include "cli/table.h"
#include "common/units.h"

namespace gleaner::cli {
namespace {

struct AuditOptions {
  ClientOptions client;
  std::string since = "7d";
  std::string who;
  std::string action;
  int64_t limit = 100;
  bool json = false;
};

Status PrintAudit(const AuditOptions& opts) {
  if (auto since = ParseDuration(opts.since); !since.ok()) return InvalidArgument("--since: " + since.error().message);
  if (opts.limit < 1 || opts.limit > 100'000) return InvalidArgument("--limit must be from 1 to 100000");
  std::string target = "/api/v1/audit?since=" + UrlEscape(opts.since) + "&limit=" + std::to_string(opts.limit);
  if (!opts.who.empty()) target += "&who=" + UrlEscape(opts.who);
  if (!opts.action.empty()) target += "&action=" + UrlEscape(opts.action);
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto list = client->Call<api::AuditList>("GET", target);
  if (!list.ok()) return list.error();
  if (opts.json) {
    std::cout << nlohmann::json(*list).dump() << '\n';
    return OkStatus();
  }
  Table table({"WHEN", "WHO", "ROLE", "FROM", "ACTION", "TARGET", "OUTCOME", "DETAIL"});
  for (const auto& e : list->events) {
    table.AddRow({LocalTime(e.at), e.who.empty() ? "-" : e.who, e.role.empty() ? "-" : e.role,
                  e.peer.empty() ? "-" : e.peer, e.action, e.target, e.outcome, e.detail});
  }
  std::cout << table.Render();
  return OkStatus();
}

}  // namespace

void AddAuditCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<AuditOptions>();
  CLI::App* cmd = app.add_subcommand("audit", "Who did what, when and from where: admin and security events (admin)");
  AddClientOptions(*cmd, opts->client);
  cmd->add_option("--since", opts->since, "How far back: 1h, 24h, 7d")->capture_default_str();
  cmd->add_option("--who", opts->who, "Only events by this token or host name");
  cmd->add_option("--action", opts->action,
                  "Only this action or family: token, token.create, host, host.revoke, policy.set, auth.refused, …");
  cmd->add_option("--limit", opts->limit, "At most this many events, newest first")->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print the API's JSON");
  cmd->callback([opts, &exit_code] { exit_code = ReportOutcome(PrintAudit(*opts)); });
}

}  // namespace gleaner::cli
