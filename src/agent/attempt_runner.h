// RunAttempt carries one assignment from inputs to a durable completion: fetch
// inputs into a fresh work dir, restore the task's checkpoint, run the task
// (uploading its checkpoint dir every checkpoint_interval when it changed, and
// once more after a vacate's grace) with the driver (suspended and
// resumed through `control`), upload outputs and captures, add the completion
// with its suspend/vacate history to the pending store, remove the work dir.
// Blocking: call it on the attempt's own thread. Everything in AttemptEnv is
// shared by all attempts and thread-safe; each attempt makes its own link.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "agent/checkpoint/checkpoint_archive.h"
#include "agent/checkpoint/checkpoint_outbox.h"
#include "agent/executor/input_cache.h"
#include "agent/executor/kill_switch.h"
#include "agent/executor/task_driver.h"
#include "agent/pending_store.h"
#include "agent/server_link.h"
#include "agent/agent_dirs.h"
#include "api/types.h"

namespace gleaner::agent {

struct AttemptEnv {
  const AgentDirs& dirs;
  TaskDriver& driver;
  const InputCache& cache;
  PendingStore& pending;
  ServerLinkFactory links;
  int64_t output_cap = 1 << 20;
  // Checkpoint migration (docs/checkpoints.md): how often a changed
  // GLEANER_CHECKPOINT_DIR is uploaded while its task runs, the most it may
  // hold, who restored checkpoint files belong to (the task's user when the
  // agent is root), and where uploaded ones wait for the next sync.
  std::chrono::milliseconds checkpoint_interval{60'000};
  int64_t checkpoint_max_bytes = int64_t{1} << 30;
  std::optional<FileOwner> task_owner = std::nullopt;
  std::shared_ptr<CheckpointOutbox> checkpoints = std::make_shared<CheckpointOutbox>();
  // Test seam (test_seams.h): sees the stdout capture and each output file of
  // a successful attempt before upload. Unset in production.
  std::function<void(const std::string& path)> result_hook = nullptr;
};

// OK once the completion is in the pending store, or when the agent stops
// first: then nothing is reported, and the server, no longer hearing of the
// attempt, counts it lost and requeues its task. An error means the
// completion could not be stored.
Status RunAttempt(const AttemptEnv& env, const api::Assignment& assignment, const KillSwitch& kill,
                  TaskControl& control);

// "exit code 3" or "killed by signal 9 (SIGKILL)".
std::string DescribeExit(const TaskExit& exit);

}  // namespace gleaner::agent
