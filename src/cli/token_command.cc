// gleaner token create: mints a bearer token. The token itself is the last
// line of stdout, so scripts can take it with `tail -n 1`.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/api_paths.h"
#include "cli/client_options.h"
#include "cli/commands.h"
#include "cli/failure.h"

namespace gleaner::cli {
namespace {

struct TokenCreateOptions {
  ClientOptions client;
  std::string role;
  std::string name;
};

Status CreateToken(const TokenCreateOptions& opts) {
  auto role = api::RoleFromName(opts.role);
  if (!role) return InvalidArgument("unknown role '" + opts.role + "'; use admin, submitter, viewer or agent");
  auto client = Connect(opts.client);
  if (!client.ok()) return client.error();
  auto created = client->Post<api::TokenCreateResponse>(kTokensPath, api::TokenCreateRequest{*role, opts.name});
  if (!created.ok()) return created.error();
  std::cout << "created " << api::RoleName(created->role) << " token" << (opts.name.empty() ? "" : " '" + opts.name + "'")
            << "; it is shown only once, keep it secret:\n"
            << created->token << '\n';
  return OkStatus();
}

}  // namespace

void AddTokenCommand(CLI::App& app, int& exit_code) {
  CLI::App* token = app.add_subcommand("token", "Manage bearer tokens");
  token->require_subcommand(1);
  auto opts = std::make_shared<TokenCreateOptions>();
  CLI::App* create = token->add_subcommand("create", "Create a token for a role");
  AddClientOptions(*create, opts->client);
  create->add_option("--role", opts->role, "admin, submitter, viewer or agent")->required();
  create->add_option("--name", opts->name, "What the token is for, shown in audit records");
  create->callback([opts, &exit_code] { exit_code = ReportOutcome(CreateToken(*opts)); });
}

}  // namespace gleaner::cli
