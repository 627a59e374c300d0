// Job and Task: a submitted job's live state in the scheduler — its tasks,
// each one's attempts, outcome, checkpoint and votes, and the job's own queue
// of tasks waiting for a host. Plain data with the few rules that keep its
// counts right; owned by the scheduler, so not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "api/requirements.h"
#include "api/types.h"
#include "server/scheduler/placement/feasibility.h"
#include "server/store/records.h"

namespace gleaner::server {

struct Task {
  api::TaskState state = api::TaskState::kQueued;
  int32_t attempts = 0;
  // Its live attempts: at most one, but for a replicated task one per replica running.
  std::vector<int64_t> live;
  int64_t host_id = 0;
  std::unique_ptr<TaskOutcome> outcome;  // absent until an attempt ends
  // Latest of its live attempts; the next attempt starts from it. Behind a
  // pointer, as few tasks have one and a FileRef is 80 bytes.
  std::unique_ptr<api::FileRef> checkpoint;
  // Replicated tasks only (docs/validation.md), made with their first
  // result or trusted replica; null otherwise, so a task of an ordinary job
  // costs no more memory.
  std::unique_ptr<Validation> validation;
  bool waiting = false;  // replicated tasks: in `requeued` or delayed for another replica
  const Validation& Votes() const {
    static const Validation kNone;
    return validation ? *validation : kNone;
  }
  Validation& MutableVotes() {
    if (!validation) validation = std::make_unique<Validation>();
    return *validation;
  }
  void Distrust(int64_t host_id) {
    if (validation && validation->trusted_host == host_id) validation->trusted_host = 0;
  }
};

struct Job {
  JobRecord record;
  // Its spec's requirements and rank, parsed once (api/requirements.h).
  api::Expression requirements;
  api::Expression rank;
  std::vector<Task> tasks;
  int64_t next_fresh = 0;        // tasks from here on have never been dispatched
  std::deque<int64_t> requeued;  // tasks waiting for another attempt
  api::TaskCounts counts;

  bool HasQueued() const { return !requeued.empty() || next_fresh < static_cast<int64_t>(tasks.size()); }
  bool Replicated() const { return record.spec.replicas > 1; }
  JobDemand Demand() const { return {record.spec, requirements, rank}; }
  // Parses the spec's requirements and rank; a spec that no longer parses
  // (stored by another version) matches no host rather than every one.
  void ParseMatchmaking();
  Task& task(int64_t index) { return tasks[static_cast<size_t>(index)]; }
  const Task& task(int64_t index) const { return tasks[static_cast<size_t>(index)]; }
  // Moves the task to `state`, keeping `counts` right.
  void SetTaskState(int64_t index, api::TaskState state);
  // The durable record of the task as it is now.
  TaskRecord RecordOf(int64_t index) const;
};

// The count of tasks in state `s`.
int64_t& CountOf(api::TaskCounts& c, api::TaskState s);

std::optional<api::FileRef> CopyOf(const std::unique_ptr<api::FileRef>& ref);

}  // namespace gleaner::server
