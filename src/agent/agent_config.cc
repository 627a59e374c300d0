#include "agent/agent_config.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace gleaner::agent {

namespace {

// "task_user" → the option --task-user of `cmd`, or null. --config, --check
// and --help are not keys.
CLI::Option* OptionOfKey(CLI::App& cmd, const std::string& key) {
  if (key == "config" || key == "check" || key == "help") return nullptr;
  std::string flag = "--" + key;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return key.find('-') == std::string::npos ? cmd.get_option_no_throw(flag) : nullptr;
}

std::string KeyOf(const CLI::Option& option) {
  std::string key = option.get_name(false, true);
  key.erase(0, key.find_first_not_of('-'));
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

std::string KnownKeys(CLI::App& cmd) {
  std::string known;
  for (const CLI::Option* option : cmd.get_options()) {
    std::string key = KeyOf(*option);
    if (option->get_lnames().empty() || !OptionOfKey(cmd, key)) continue;
    known += (known.empty() ? "" : ", ") + key;
  }
  return known;
}

bool IsFlag(const CLI::Option& option) { return option.get_expected_min() == 0; }
bool IsList(const CLI::Option& option) { return option.get_expected_max() > 1; }
bool IsInteger(const CLI::Option& option) {
  std::string type = option.get_type_name();
  return type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0;
}

std::string Expected(const CLI::Option& option) {
  if (IsFlag(option)) return "true or false";
  if (IsList(option)) return "an array of strings";
  if (IsInteger(option)) return "an integer";
  return "a string";
}

// The TOML value as the words the option would get on a command line; false
// when its type does not fit.
bool Words(const CLI::Option& option, const toml::node& node, std::vector<std::string>& words) {
  if (IsFlag(option)) {
    if (!node.is_boolean()) return false;
    words = {*node.value<bool>() ? "true" : "false"};
    return true;
  }
  if (IsList(option)) {
    const auto* array = node.as_array();
    if (!array) return false;
    for (const auto& item : *array) {
      if (!item.is_string()) return false;
      words.push_back(*item.value<std::string>());
    }
    return true;
  }
  if (IsInteger(option)) {
    if (!node.is_integer()) return false;
    words = {std::to_string(*node.value<int64_t>())};
    return true;
  }
  if (!node.is_string()) return false;
  words = {*node.value<std::string>()};
  return true;
}

}  // namespace

std::shared_ptr<ConfigFileFlags> AddConfigFileFlags(CLI::App& cmd) {
  auto flags = std::make_shared<ConfigFileFlags>();
  for (CLI::Option* option : cmd.get_options()) {
    if (option->get_required()) {
      option->required(false);
      flags->required.push_back(option);
    }
  }
  cmd.add_option("--config", flags->path,
                 "TOML file of these flags, each a key without dashes (/etc/gleaner/agent.toml); a flag given here "
                 "beats the file (docs/install.md)");
  cmd.add_flag("--check", flags->check, "Check the flags and --config, print ok, and exit");
  return flags;
}

Status ApplyConfigText(CLI::App& cmd, const ConfigFileFlags& flags, const std::string& text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(path + ":" + std::to_string(e.source().begin.line) +
                           ": not valid TOML: " + std::string(e.description()));
  }
  for (const auto& [name, node] : root) {
    std::string key(name.str());
    std::string where = path + ":" + std::to_string(name.source().begin.line);
    CLI::Option* option = OptionOfKey(cmd, key);
    if (!option) {
      return InvalidArgument(where + ": unknown key '" + key + "'; the keys are " + KnownKeys(cmd));
    }
    std::vector<std::string> words;
    if (!Words(*option, node, words)) return InvalidArgument(where + ": '" + key + "' must be " + Expected(*option));
    if (option->count() > 0) continue;  // given on the command line or in the environment: that wins
    try {
      if (IsFlag(*option)) {
        option->add_result(option->get_flag_value(option->get_name(false, true), words.front()));
      } else {
        option->add_result(words);
      }
      option->run_callback();  // the option's checks, then its variable
    } catch (const CLI::ParseError& e) {
      return InvalidArgument(where + ": '" + key + "': " + e.what());
    }
  }
  for (const CLI::Option* option : flags.required) {
    if (option->count() == 0) {
      return InvalidArgument(option->get_name(false, true) + " is required (or '" + KeyOf(*option) + "' in " +
                             (path.empty() ? "--config FILE" : path) + ")");
    }
  }
  return OkStatus();
}

Status ApplyConfigFile(CLI::App& cmd, const ConfigFileFlags& flags) {
  if (flags.path.empty()) return ApplyConfigText(cmd, flags, "", "");
  std::ifstream in(flags.path);
  if (!in) return InvalidArgument("cannot read config file '" + flags.path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return ApplyConfigText(cmd, flags, text.str(), flags.path);
}

}  // namespace gleaner::agent
