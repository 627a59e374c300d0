#include "cli/fetch_plan.h"

#include <set>

#include "api/job_spec.h"

namespace gleaner::cli {

Result<FetchPlan> PlanFetch(const api::TaskList& list, const std::filesystem::path& dir) {
  FetchPlan plan;
  for (const auto& task : list.tasks) {
    const std::filesystem::path task_dir = dir / std::to_string(task.index);
    std::set<std::string> names;
    for (const auto& out : task.outputs) {
      if (!api::IsSafeRelativePath(out.name)) {
        return Internal("the server lists an output of task " + std::to_string(task.index) + " named '" +
                        out.name + "', which would land outside " + dir.string() + "; nothing was fetched");
      }
      if (names.insert(out.name).second) plan.downloads.push_back({out.sha256, task_dir / out.name, task.index});
    }
    for (const auto& [name, capture] : {std::pair{"stdout", &task.stdout_ref}, std::pair{"stderr", &task.stderr_ref}}) {
      if (*capture && names.insert(name).second) plan.downloads.push_back({(*capture)->sha256, task_dir / name, task.index});
    }
    if (!names.empty()) ++plan.tasks;
  }
  return plan;
}

}  // namespace gleaner::cli
