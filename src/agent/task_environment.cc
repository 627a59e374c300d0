#include "agent/task_environment.h"

namespace gleaner::agent {

std::map<std::string, std::string> TaskEnvironment(const api::Assignment& assignment, const std::string& work_dir) {
  std::map<std::string, std::string> env = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", work_dir},
      {"TMPDIR", work_dir},
  };
  for (const auto& [key, value] : assignment.env) env[key] = value;
  env["GLEANER_TASK_INDEX"] = std::to_string(assignment.index);
  env["GLEANER_TASK_COUNT"] = std::to_string(assignment.count);
  env["GLEANER_JOB_ID"] = std::to_string(assignment.job_id);
  env["GLEANER_ATTEMPT_ID"] = std::to_string(assignment.attempt_id);
  env["GLEANER_CHECKPOINT_DIR"] = CheckpointDir(work_dir);
  return env;
}

}  // namespace gleaner::agent
