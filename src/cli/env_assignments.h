// Parses the NAME=VALUE pairs of `gleaner submit --env`. The value may itself
// contain '='; a bad name or a name given twice is kInvalidArgument naming it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace gleaner::cli {

Result<std::map<std::string, std::string>> ParseEnvAssignments(const std::vector<std::string>& assignments);

}  // namespace gleaner::cli
