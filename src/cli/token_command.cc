// gleaner token create|list|revoke: bearer tokens for people, join tokens for
// agents. `create` prints the token string (URL, CA pin and secret in one
// line) as the last line of stdout, so scripts can take it with `tail -n 1`.
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

struct TokenOptions {
  ClientOptions client;
  std::string role;
  std::string name;
  std::string expires;  // "" = the role's default
  int64_t uses = 0;
  bool allow_network = false;
  std::string token;  // id or name, for revoke
  bool json = false;
};

std::string Expiry(const api::TokenView& t) { return t.expires_at ? LocalTime(t.expires_at) : "never"; }

Status CreateToken(const TokenOptions& opts) {
  auto role = api::RoleFromName(opts.role);
  if (!role) return InvalidArgument("unknown role '" + opts.role + "'; use admin, submitter, viewer or agent");
  if (opts.allow_network && *role != api::Role::kSubmitter) {
    return InvalidArgument("--allow-network applies to submitter tokens only (admins may always ask for network)");
  }
  api::TokenCreateRequest request{*role, opts.name, std::nullopt, opts.uses, opts.allow_network};
  if (opts.expires == "never") {
    request.expires_in_ms = 0;
  } else if (!opts.expires.empty()) {
    auto lifetime = ParseDuration(opts.expires);
    if (!lifetime.ok() || lifetime->count() <= 0) {
      return InvalidArgument("--expires '" + opts.expires + "' is not a duration such as 30m, 24h or 7d, or 'never'");
    }
    request.expires_in_ms = lifetime->count();
  }
  if (opts.uses < 0) return InvalidArgument("--uses must be 0 (unlimited) or more");
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto created = client->Post<api::TokenCreateResponse>(kTokensPath, request);
  if (!created.ok()) return created.error();
  if (opts.json) {
    std::cout << nlohmann::json(*created).dump() << '\n';
    return OkStatus();
  }
  std::cout << "created " << api::RoleName(created->role) << " token";
  if (created->view) {
    const auto& v = *created->view;
    std::cout << " '" << v.name << "' (id " << v.id << "), expires " << Expiry(v)
              << (v.max_uses ? ", good for " + std::to_string(v.max_uses) + " enrolments" : "")
              << (v.allow_network ? ", its jobs may ask for --network" : "");
  }
  std::cout << ".\nIt is shown only once; keep it secret. It carries the server's address and CA fingerprint:\n"
            << created->token << '\n';
  return OkStatus();
}

Status ListTokens(const TokenOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto list = client->Call<api::TokenList>("GET", kTokensPath);
  if (!list.ok()) return list.error();
  if (opts.json) {
    std::cout << nlohmann::json(*list).dump() << '\n';
    return OkStatus();
  }
  Table table({"ID", "NAME", "ROLE", "STATE", "CREATED", "BY", "EXPIRES", "USES", "NETWORK"});
  for (const auto& t : list->tokens) {
    table.AddRow({t.id, t.name, api::RoleName(t.role), t.state, LocalTime(t.created_at), t.created_by, Expiry(t),
                  t.role == api::Role::kAgent
                      ? std::to_string(t.uses) + (t.max_uses ? "/" + std::to_string(t.max_uses) : "")
                      : "-",
                  t.role == api::Role::kAdmin ? "yes" : t.allow_network ? "granted" : "-"});
  }
  std::cout << table.Render();
  return OkStatus();
}

Status RevokeToken(const TokenOptions& opts) {
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto revoked = client->Call<api::TokenView>("POST", TokenRevokePath(opts.token));
  if (!revoked.ok()) return revoked.error();
  if (opts.json) {
    std::cout << nlohmann::json(*revoked).dump() << '\n';
    return OkStatus();
  }
  std::cout << "revoked " << api::RoleName(revoked->role) << " token '" << revoked->name << "' (id " << revoked->id
            << "): it is refused from now on\n";
  return OkStatus();
}

}  // namespace

void AddTokenCommand(CLI::App& app, int& exit_code) {
  CLI::App* token = app.add_subcommand("token", "Create, list and revoke tokens (admin)");
  token->require_subcommand(1);
  auto opts = std::make_shared<TokenOptions>();

  CLI::App* create = token->add_subcommand("create", "Create a token for a role and print its token string");
  AddClientOptions(*create, opts->client);
  create->add_option("--role", opts->role, "admin, submitter, viewer or agent (a join token for desktops)")->required();
  create->add_option("--name", opts->name, "What the token is for; a submitter's jobs belong to this name");
  create->add_option("--expires", opts->expires,
                     "Lifetime such as 30m, 24h, 7d, or 'never' (default: 24h for agent join tokens, never for others)");
  create->add_option("--uses", opts->uses, "Enrolments an agent join token allows (default 0: unlimited)");
  create->add_flag("--allow-network", opts->allow_network,
                   "Submitter tokens: let its jobs ask for --network (a network of their own, never the desktop's "
                   "loopback or LAN; docs/security.md)");
  create->add_flag("--json", opts->json, "Print the API's JSON");
  create->callback([opts, &exit_code] { exit_code = ReportOutcome(CreateToken(*opts)); });

  CLI::App* list = token->add_subcommand("list", "List tokens (never their secrets) and whether they are usable");
  AddClientOptions(*list, opts->client);
  list->add_flag("--json", opts->json, "Print the API's JSON");
  list->callback([opts, &exit_code] { exit_code = ReportOutcome(ListTokens(*opts)); });

  CLI::App* revoke = token->add_subcommand("revoke", "Refuse a token from now on");
  AddClientOptions(*revoke, opts->client);
  revoke->add_option("TOKEN", opts->token, "The token's id or name, as `gleaner token list` shows")->required();
  revoke->add_flag("--json", opts->json, "Print the API's JSON");
  revoke->callback([opts, &exit_code] { exit_code = ReportOutcome(RevokeToken(*opts)); });
}

}  // namespace gleaner::cli
