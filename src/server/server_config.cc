#include "server/server_config.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "common/units.h"
#include "server/validation/validator_runner.h"

namespace gleaner::server {

namespace {

using Strings = std::vector<std::string>;

}  // namespace

const std::vector<ServerSetting>& ServerSettings() {
  using O = ServerOptions;
  using K = SettingKind;
  static const std::vector<ServerSetting> table = {
      {"data", "--data", K::kString, &O::data, "Directory for the database, blobs and admin token"},
      {"listen", "--listen", K::kString, &O::listen, "HOST:PORT to serve on; port 0 picks a free one"},
      {"store", "--store", K::kString, &O::store,
       "postgresql://user@host/db: keep every table in PostgreSQL (libpq's PG* variables apply); default: SQLite "
       "in --data"},
      {"store_password_file", "--store-password-file", K::kString, &O::store_password_file,
       "A file holding the PostgreSQL password"},
      {"init", "--init", K::kBool, &O::init, "Create the schema in a PostgreSQL database that has none yet"},
      {"leader_lease", "--leader-lease", K::kDuration, &O::leader_lease,
       "With --store: servers sharing the store elect one leader; a standby takes over this long after the leader "
       "stops renewing (docs/operations.md)",
       1000},
      {"blobs", "--blobs", K::kString, &O::blobs,
       "Directory for blobs (default: <data>/blobs); a standby must reach the same one"},
      {"advertise", "--advertise", K::kStrings, &O::advertise,
       "NAME[:PORT] clients reach this server by (repeatable); the first goes into token strings, all into the "
       "TLS certificate"},
      {"insecure_http", "--insecure-http", K::kBool, &O::insecure_http,
       "Serve plain HTTP instead of TLS (tokens travel in clear: for loopback tests only)"},
      {"max_connections_per_address", "--max-connections-per-address", K::kInteger, &O::max_connections_per_peer,
       "Open connections allowed from one client address", 1, 1000000},
      {"lease", "--lease", K::kDuration, &O::lease, "How long an agent may be silent before its work is requeued",
       1000},
      {"poll", "--poll", K::kDuration, &O::poll, "How often idle agents ask for work"},
      {"threads", "--threads", K::kInteger, &O::threads, "I/O threads", 1, 1024},
      {"log_format", "--log-format", K::kChoice, &O::log_format, "text, or json for one JSON object per line", 0, 0,
       {"text", "json"}},
      {"validators", "--validator", K::kNamedPaths, &O::validators,
       "NAME=PATH: a program submitters may name with `submit --validator NAME` to decide whether two replicas' "
       "results agree; runs sandboxed (repeatable; docs/validation.md)"},
      {"validator_user", "--validator-user", K::kString, &O::validator_user,
       "Account validators run as when the server runs as root"},
      {"bwrap", "--bwrap", K::kString, &O::bwrap, "The bubblewrap binary validators run in"},
  };
  return table;
}

namespace {

// What a value of `setting` must be, as a phrase: "an integer from 1 to 1024".
std::string Expected(const ServerSetting& s) {
  switch (s.kind) {
    case SettingKind::kString:
      return "a string";
    case SettingKind::kDuration:
      return s.min > 0 ? "a duration of at least " + FormatDuration(Millis(s.min)) + " as a string, e.g. \"30s\""
                       : "a duration as a string, e.g. \"1s\" or \"5m\"";
    case SettingKind::kChoice: {
      std::string out = "one of";
      for (size_t i = 0; i < s.choices.size(); ++i) out += (i ? ", \"" : " \"") + s.choices[i] + "\"";
      return out;
    }
    case SettingKind::kInteger:
      return "an integer from " + std::to_string(s.min) + " to " + std::to_string(s.max);
    case SettingKind::kBool:
      return "true or false";
    case SettingKind::kStrings:
      return "an array of strings, e.g. [\"grid.example.org\"]";
    case SettingKind::kNamedPaths:
      return std::string("a table of NAME = \"PATH\", e.g. [") + s.key + "] then mean = \"/usr/local/bin/compare\"";
  }
  return "";
}

// A TOML basic string; the defaults hold nothing that needs escaping.
std::string TomlString(const std::string& s) { return "\"" + s + "\""; }

// The default of `setting`, spelled as it would be in server.toml.
std::string DefaultText(const ServerSetting& s) {
  static const ServerOptions defaults;
  return std::visit(
      [&](auto member) -> std::string {
        const auto& value = defaults.*member;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return TomlString(value);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return std::to_string(value);
        } else if constexpr (std::is_same_v<T, bool>) {
          return value ? "true" : "false";
        } else {
          return s.kind == SettingKind::kNamedPaths ? "none" : "[]";
        }
      },
      s.field);
}

std::string Where(const std::string& path, const toml::source_region& at) {
  return path + ":" + std::to_string(at.begin.line);
}

// One key's TOML value checked and written to `opt` (unless `skip`).
Status ApplyValue(const ServerSetting& s, const toml::node& node, const std::string& path, const std::string& where,
                  bool skip, ServerOptions& opt) {
  auto bad = [&](const std::string& detail) {
    return InvalidArgument(where + ": '" + s.key + "' must be " + Expected(s) + detail);
  };
  switch (s.kind) {
    case SettingKind::kString:
    case SettingKind::kDuration:
    case SettingKind::kChoice: {
      const auto* value = node.as_string();
      if (!value) return bad("");
      std::string problem = CheckSettingValue(s, value->get());
      if (!problem.empty()) return bad(" (got \"" + value->get() + "\")");
      if (!skip) opt.*std::get<std::string ServerOptions::*>(s.field) = value->get();
      return OkStatus();
    }
    case SettingKind::kInteger: {
      const auto* value = node.as_integer();
      if (!value) return bad("");
      if (value->get() < s.min || value->get() > s.max) return bad(" (got " + std::to_string(value->get()) + ")");
      if (!skip) opt.*std::get<int64_t ServerOptions::*>(s.field) = value->get();
      return OkStatus();
    }
    case SettingKind::kBool: {
      const auto* value = node.as_boolean();
      if (!value) return bad("");
      if (!skip) opt.*std::get<bool ServerOptions::*>(s.field) = value->get();
      return OkStatus();
    }
    case SettingKind::kStrings: {
      const auto* array = node.as_array();
      if (!array) return bad("");
      Strings values;
      for (const auto& item : *array) {
        const auto* value = item.as_string();
        if (!value) return bad(" (an item is not a string)");
        values.push_back(value->get());
      }
      if (!skip) opt.*std::get<Strings ServerOptions::*>(s.field) = std::move(values);
      return OkStatus();
    }
    case SettingKind::kNamedPaths: {
      const auto* table = node.as_table();
      if (!table) return bad("");
      Strings values;
      for (const auto& [name, item] : *table) {
        const auto* program = item.as_string();
        std::string at = Where(path, name.source());
        if (!program) return InvalidArgument(at + ": '" + s.key + "." + std::string(name.str()) + "' must be a path as a string");
        std::string flag = std::string(name.str()) + "=" + program->get();
        auto parsed = ParseValidatorFlag(flag);
        if (!parsed.ok()) return InvalidArgument(at + ": " + parsed.error().message);
        values.push_back(flag);
      }
      if (!skip) opt.*std::get<Strings ServerOptions::*>(s.field) = std::move(values);
      return OkStatus();
    }
  }
  return OkStatus();
}

}  // namespace

std::string CheckSettingValue(const ServerSetting& s, const std::string& value) {
  if (s.kind == SettingKind::kDuration) {
    auto parsed = ParseDuration(value);
    if (!parsed.ok() || parsed->count() < s.min) return Expected(s);
  }
  if (s.kind == SettingKind::kChoice && std::find(s.choices.begin(), s.choices.end(), value) == s.choices.end()) {
    return Expected(s);
  }
  return "";
}

void AddServerFlags(CLI::App& cmd, ServerOptions& opt) {
  for (const auto& s : ServerSettings()) {
    CLI::Option* option = nullptr;
    std::visit(
        [&](auto member) {
          using T = std::decay_t<decltype(opt.*member)>;
          if constexpr (std::is_same_v<T, bool>) {
            option = cmd.add_flag(s.flag, opt.*member, s.help);
          } else {
            option = cmd.add_option(s.flag, opt.*member, s.help);
          }
        },
        s.field);
    if (s.kind == SettingKind::kChoice) option->check(CLI::IsMember(s.choices));
    if (s.kind == SettingKind::kInteger) option->check(CLI::Range(s.min, s.max));
    if (s.kind == SettingKind::kNamedPaths) option->allow_extra_args(false);
    if (s.kind != SettingKind::kBool && s.kind != SettingKind::kStrings && s.kind != SettingKind::kNamedPaths) {
      option->capture_default_str();
    }
  }
}

std::set<std::string> FlagsGiven(const CLI::App& cmd) {
  std::set<std::string> given;
  for (const auto& s : ServerSettings()) {
    const CLI::Option* option = cmd.get_option_no_throw(s.flag);
    if (option && option->count() > 0) given.insert(s.key);
  }
  return given;
}

Status ParseServerConfig(const std::string& text, const std::string& path, const std::set<std::string>& given,
                         ServerOptions& opt) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(Where(path, e.source()) + ": not valid TOML: " + std::string(e.description()));
  }
  for (const auto& [key, node] : root) {
    std::string where = Where(path, key.source());
    const auto& table = ServerSettings();
    auto it = std::find_if(table.begin(), table.end(), [&](const ServerSetting& s) { return key.str() == s.key; });
    if (it == table.end()) {
      std::string known;
      for (const auto& s : table) known += (known.empty() ? "" : ", ") + std::string(s.key);
      return InvalidArgument(where + ": unknown key '" + std::string(key.str()) + "'; the keys are " + known +
                             " (docs/install.md)");
    }
    GLEANER_RETURN_IF_ERROR(ApplyValue(*it, node, path, where, given.count(it->key) > 0, opt));
  }
  return OkStatus();
}

Status LoadServerConfig(const std::string& path, const std::set<std::string>& given, ServerOptions& opt) {
  std::ifstream in(path);
  if (!in) return InvalidArgument("cannot read config file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseServerConfig(text.str(), path, given, opt);
}

std::string ServerConfigReference() {
  std::string out = "| key | flag | value | default | what it sets |\n|---|---|---|---|---|\n";
  for (const auto& s : ServerSettings()) {
    std::string help = s.help;
    for (size_t at = help.find('|'); at != std::string::npos; at = help.find('|', at + 2)) help.replace(at, 1, "\\|");
    out += std::string("| `") + s.key + "` | `" + s.flag + "` | " + Expected(s) + " | `" + DefaultText(s) + "` | " +
           help + " |\n";
  }
  return out;
}

}  // namespace gleaner::server
