#include "server/scheduler/job_queue.h"

namespace gleaner::server {

void JobQueue::SetRunnable(const RankKey& key, bool runnable) {
  if (runnable) {
    runnable_.insert(key);
  } else {
    runnable_.erase(key);
  }
}

std::vector<std::pair<int64_t, int64_t>> JobQueue::TakeDelayedDue(int64_t now) {
  std::vector<std::pair<int64_t, int64_t>> due;
  while (!delayed_.empty() && std::get<0>(*delayed_.begin()) <= now) {
    auto [at, job_id, index] = *delayed_.begin();
    delayed_.erase(delayed_.begin());
    due.emplace_back(job_id, index);
  }
  return due;
}

void JobQueue::ForgetDelayed(int64_t job_id) {
  std::erase_if(delayed_, [&](const auto& d) { return std::get<1>(d) == job_id; });
}

void JobQueue::ForgetDelayed(int64_t job_id, int64_t index) {
  std::erase_if(delayed_, [&](const auto& d) { return std::get<1>(d) == job_id && std::get<2>(d) == index; });
}

std::vector<int64_t> JobQueue::TakeDeadlinesDue(int64_t now) {
  std::vector<int64_t> due;
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    due.push_back(deadlines_.begin()->second);
    deadlines_.erase(deadlines_.begin());
  }
  return due;
}

}  // namespace gleaner::server
