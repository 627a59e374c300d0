// The environment a task sees: nothing of the agent's, only a fixed PATH, its
// work dir as HOME and TMPDIR, the job's own variables, and GLEANER_* facts
// about the task (which the job cannot override), GLEANER_CHECKPOINT_DIR among
// them. Pure; thread-safe.
#pragma once

#include <map>
#include <string>

#include "api/types.h"

namespace gleaner::agent {

// Where a task keeps what it needs to resume: inside its work dir, hidden from
// output globs like "*", restored from the task's last checkpoint before it starts.
inline std::string CheckpointDir(const std::string& work_dir) { return work_dir + "/.checkpoint"; }

std::map<std::string, std::string> TaskEnvironment(const api::Assignment& assignment, const std::string& work_dir);

}  // namespace gleaner::agent
