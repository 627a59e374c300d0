#include "server/scheduler/job.h"

namespace gleaner::server {

void Job::ParseMatchmaking() {
  auto parsed = api::Expression::ParseRequirements(record.spec.requirements);
  requirements = parsed.ok() ? std::move(*parsed) : *api::Expression::ParseRequirements("false");
  auto ranked = api::Expression::ParseRank(record.spec.rank);
  rank = ranked.ok() ? std::move(*ranked) : api::Expression();
}

using api::TaskState;

int64_t& CountOf(api::TaskCounts& c, TaskState s) {
  switch (s) {
    case TaskState::kQueued: return c.queued;
    case TaskState::kRunning: return c.running;
    case TaskState::kDone: return c.done;
    case TaskState::kFailed: return c.failed;
    case TaskState::kCancelled: return c.cancelled;
  }
  return c.queued;
}

std::optional<api::FileRef> CopyOf(const std::unique_ptr<api::FileRef>& ref) {
  return ref ? std::optional<api::FileRef>(*ref) : std::nullopt;
}

void Job::SetTaskState(int64_t index, TaskState state) {
  Task& t = task(index);
  CountOf(counts, t.state)--;
  CountOf(counts, state)++;
  t.state = state;
}

TaskRecord Job::RecordOf(int64_t index) const {
  const Task& t = task(index);
  return TaskRecord{record.id, index, t.state, t.attempts, t.host_id, t.outcome ? *t.outcome : TaskOutcome{},
                    CopyOf(t.checkpoint), t.Votes()};
}

}  // namespace gleaner::server
