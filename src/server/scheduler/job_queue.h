// JobQueue: the queues across jobs — the jobs with queued tasks in rank
// order (what placement offers a host), the failed tasks waiting out their
// retry backoff, and the deadlines of unfinished jobs. Pure state, no I/O;
// owned by the scheduler, so not thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "server/scheduler/placement/rank.h"

namespace gleaner::server {

class JobQueue {
 public:
  // Lists the job under `key` among the runnable ones, or takes it off.
  void SetRunnable(const RankKey& key, bool runnable);
  const RankedJobs& runnable() const { return runnable_; }

  // The task (job, index) is queued again at `due`.
  void Delay(int64_t due, int64_t job_id, int64_t index) { delayed_.insert({due, job_id, index}); }
  // The delayed tasks due by `now`, earliest first, taken off the queue.
  std::vector<std::pair<int64_t, int64_t>> TakeDelayedDue(int64_t now);
  void ForgetDelayed(int64_t job_id);
  void ForgetDelayed(int64_t job_id, int64_t index);

  void AddDeadline(int64_t at, int64_t job_id) { deadlines_.insert({at, job_id}); }
  void RemoveDeadline(int64_t at, int64_t job_id) { deadlines_.erase({at, job_id}); }
  // The jobs whose deadline is due by `now`, earliest first, taken off the queue.
  std::vector<int64_t> TakeDeadlinesDue(int64_t now);

 private:
  RankedJobs runnable_;
  // Failed tasks waiting out their backoff: (due, job, index).
  std::set<std::tuple<int64_t, int64_t, int64_t>> delayed_;
  // Unfinished jobs with a deadline: (deadline, job).
  std::set<std::pair<int64_t, int64_t>> deadlines_;
};

}  // namespace gleaner::server
