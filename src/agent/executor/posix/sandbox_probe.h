// Whether bubblewrap can sandbox tasks on this host, found by trying: the
// agent runs `true` in the sandbox as the task user, exactly as it will run
// tasks, so a missing binary, a kernel without unprivileged user namespaces
// or a mount it refuses all show up at start, in words. Blocking.
#pragma once

#include <optional>
#include <string>

#include "agent/executor/task_user.h"
#include "common/status.h"

namespace gleaner::agent {

// OK when the sandbox works; otherwise kUnavailable with a short reason
// ("bwrap missing: /usr/bin/bwrap not found", "bwrap fails: ...").
// `scratch_dir` is created, used and removed; the task user must be able to
// reach it.
Status ProbeSandbox(const std::string& bwrap, const std::optional<TaskUser>& task_user,
                    const std::string& scratch_dir);

}  // namespace gleaner::agent
