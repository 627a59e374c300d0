// The environment a task sees: nothing of the agent's, only a fixed PATH, its
// work dir as HOME and TMPDIR, the job's own variables, and GLEANER_* facts
// about the task (which the job cannot override). Pure; thread-safe.
#pragma once

#include <map>
#include <string>

#include "api/types.h"

namespace gleaner::agent {

std::map<std::string, std::string> TaskEnvironment(const api::Assignment& assignment, const std::string& work_dir);

}  // namespace gleaner::agent
