#include "cli/env_assignments.h"

#include <cctype>

namespace gleaner::cli {
namespace {

// The names a POSIX shell accepts, so tasks can read them as $NAME.
bool IsEnvName(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

Result<std::map<std::string, std::string>> ParseEnvAssignments(const std::vector<std::string>& assignments) {
  std::map<std::string, std::string> env;
  for (const auto& assignment : assignments) {
    size_t eq = assignment.find('=');
    if (eq == std::string::npos) {
      return InvalidArgument("--env '" + assignment + "' has no '='; write it as NAME=VALUE");
    }
    std::string name = assignment.substr(0, eq);
    if (!IsEnvName(name)) {
      return InvalidArgument("--env '" + assignment +
                             "': the name must be letters, digits and '_', not starting with a digit");
    }
    if (!env.emplace(name, assignment.substr(eq + 1)).second) {
      return InvalidArgument("--env gives " + name + " twice; keep one");
    }
  }
  return env;
}

}  // namespace gleaner::cli
