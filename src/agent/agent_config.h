// agent.toml: `gleaner agent --config FILE` reads the agent's flags from a
// TOML file, each flag a key without its dashes (`task_user = "gleaner"` for
// --task-user, `no_sandbox = true` for --no-sandbox). A flag given on the
// command line, or through its environment variable, beats the file; the
// file beats the default. Generic over the flags of one CLI11 command, so a
// new flag is a new key with nothing to add here. Not thread-safe; used
// while the command line is parsed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace gleaner::agent {

struct ConfigFileFlags {
  std::string path;    // --config FILE; "" when none
  bool check = false;  // --check: validate the flags and the file, then exit
  std::vector<CLI::Option*> required;  // required of the flags and the file together
};

// Adds --config and --check to `cmd`. Call after every other option of `cmd`
// is added: its required options become required of the command line or
// the file, checked by ApplyConfigFile.
std::shared_ptr<ConfigFileFlags> AddConfigFileFlags(CLI::App& cmd);

// In `cmd`'s callback: sets each option not given on the command line from
// the file's key, with the option's own checks. An unknown key, a value of
// the wrong type or one the option refuses is an InvalidArgument naming the
// file, the line and what is expected; so is a required option set nowhere.
Status ApplyConfigFile(CLI::App& cmd, const ConfigFileFlags& flags);

// The same, from TOML text; `path` only names it in messages.
Status ApplyConfigText(CLI::App& cmd, const ConfigFileFlags& flags, const std::string& text, const std::string& path);

}  // namespace gleaner::agent
