// AttemptTable: the live attempts, each held under a lease its agent renews,
// and the recently lost ones whose late result may still count. Hands out
// attempt ids. Pure state, no I/O; owned by the scheduler, so not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "server/store/records.h"

namespace gleaner::server {

struct Attempt {
  AttemptRecord record;
  int64_t cpus = 1;
  int64_t lease_deadline = 0;
};

class AttemptTable {
 public:
  // Ids after a restart continue from the highest one ever stored.
  void RestoreIds(int64_t max_attempt_id) { next_id_ = max_attempt_id + 1; }
  int64_t NewId() { return next_id_++; }
  void Add(const AttemptRecord& record, int64_t cpus, int64_t lease_deadline);

  Attempt* Find(int64_t id);
  const Attempt* Find(int64_t id) const;
  // Live attempt `id`; throws std::out_of_range when there is none.
  const Attempt& Get(int64_t id) const { return live_.at(id); }
  // The live attempt `id` if `host_id` holds it.
  Attempt* FindOn(int64_t id, int64_t host_id);
  // Removes live attempt `id` (which must exist) and returns it.
  Attempt Remove(int64_t id);
  // Live attempts whose lease ran out by `now`, in id order.
  std::vector<int64_t> ExpiredBy(int64_t now) const;

  // Keeps a lost attempt, so its agent's late result can still be taken.
  void KeepLost(const AttemptRecord& record) { lost_[record.id] = record; }
  // Takes back the lost attempt `id` if `host_id` ran it.
  std::optional<AttemptRecord> TakeLost(int64_t id, int64_t host_id);
  // Forgets the lost attempts that ended before `horizon`.
  void ForgetLostBefore(int64_t horizon);

  size_t live() const { return live_.size(); }
  int64_t started() const { return next_id_ - 1; }

 private:
  std::unordered_map<int64_t, Attempt> live_;
  std::unordered_map<int64_t, AttemptRecord> lost_;
  int64_t next_id_ = 1;
};

}  // namespace gleaner::server
