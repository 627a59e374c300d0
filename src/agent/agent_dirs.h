// The agent's directory (--work) and what lives in it: agent.json, pending/
// (completions not yet accepted), cache/ (input blobs), attempts/ (one work dir
// and two output captures per running attempt). Thread-safe; paths only.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace gleaner::agent {

struct AgentDirs {
  std::string root, pending, cache, attempts;

  std::string CredentialFile() const { return root + "/agent.json"; }
  std::string AttemptDir(int64_t attempt_id) const { return attempts + "/" + std::to_string(attempt_id); }
  std::string StdoutFile(int64_t attempt_id) const { return AttemptDir(attempt_id) + ".stdout"; }
  std::string StderrFile(int64_t attempt_id) const { return AttemptDir(attempt_id) + ".stderr"; }
};

// Creates the layout under `root` (a new root gets mode 0711; an existing one
// keeps its mode). Work dirs a previous run left in attempts/ are removed:
// those attempts are lost to the server anyway. attempts/ is traversable by
// others, so the task user reaches its work dir; the rest is the agent's alone.
Result<AgentDirs> PrepareAgentDirs(const std::string& root);

// OK when every directory from / down to `dir` lets others through (o+x), so a
// task running as another user can reach its work dir; otherwise says which
// one does not.
Status CheckTraversableByOthers(const std::string& dir);

}  // namespace gleaner::agent
