// The server's settings and the one table of them that the command line,
// `--config FILE` (TOML) and the config reference in docs/install.md all
// read: a setting is added by adding a row, nowhere else. Precedence: a flag
// given on the command line beats the file, the file beats the default.
// Pure functions over values; no I/O except LoadServerConfig reading FILE.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "agent/executor/posix/sandbox.h"  // kDefaultBubblewrap
#include "common/status.h"

namespace CLI {
class App;
}

namespace gleaner::server {

// Every setting of `gleaner server`, with its default.
struct ServerOptions {
  std::string data = "gleaner-data";
  std::string store;                 // "": SQLite in data; else a postgresql:// URL
  std::string store_password_file;   // PostgreSQL's password, when not in libpq's usual places
  bool init = false;                 // create the schema in a PostgreSQL database without one
  std::string leader_lease = "10s";  // PostgreSQL: how long the leader's lease lasts unrenewed
  std::string blobs;                 // "": <data>/blobs
  std::string listen = "0.0.0.0:7070";
  std::string lease = "30s";
  std::string poll = "1s";
  int64_t threads = 2;
  std::string log_format = "text";
  std::vector<std::string> advertise;
  bool insecure_http = false;
  int64_t max_connections_per_peer = 1024;
  std::vector<std::string> validators;  // NAME=PATH
  std::string validator_user = "gleaner";
  std::string bwrap = agent::kDefaultBubblewrap;
};

// What a value must be; the TOML type follows from it.
enum class SettingKind {
  kString,     // a string
  kDuration,   // a string ParseDuration reads: "30s", "5m"
  kChoice,     // a string, one of `choices`
  kInteger,    // an integer in [min, max]
  kBool,       // true or false
  kStrings,    // an array of strings; the flag is repeated
  kNamedPaths  // a table of NAME = "PATH"; the flag is repeated as NAME=PATH
};

using SettingField = std::variant<std::string ServerOptions::*, int64_t ServerOptions::*, bool ServerOptions::*,
                                  std::vector<std::string> ServerOptions::*>;

struct ServerSetting {
  const char* key;   // in server.toml
  const char* flag;  // on the command line
  SettingKind kind;
  SettingField field;
  const char* help;
  int64_t min = 0;  // kInteger: bounds; kDuration: the least, in milliseconds
  int64_t max = 0;
  std::vector<std::string> choices = {};  // kChoice
};

// The table, in the order the reference lists it.
const std::vector<ServerSetting>& ServerSettings();

// "" when `value` is fine for a scalar setting, else what is expected.
std::string CheckSettingValue(const ServerSetting& setting, const std::string& value);

// Registers every setting of the table as a flag of `cmd`, writing to `opt`.
void AddServerFlags(CLI::App& cmd, ServerOptions& opt);

// The keys whose flags were given on `cmd`'s command line (after parsing).
std::set<std::string> FlagsGiven(const CLI::App& cmd);

// Reads the TOML file at `path` into `opt`, skipping keys in `given` (their
// flags win). An unknown key, a wrong type or a bad value is an
// InvalidArgument naming the file, the line and what is expected.
Status LoadServerConfig(const std::string& path, const std::set<std::string>& given, ServerOptions& opt);

// The same, from TOML text; `path` only names it in messages.
Status ParseServerConfig(const std::string& text, const std::string& path, const std::set<std::string>& given,
                         ServerOptions& opt);

// The config reference as a Markdown table, generated from ServerSettings():
// docs/install.md holds a copy, which a unit test keeps equal.
std::string ServerConfigReference();

}  // namespace gleaner::server
