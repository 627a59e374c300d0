#include "server/scheduler/attempt_table.h"

#include <algorithm>

namespace gleaner::server {

void AttemptTable::Add(const AttemptRecord& record, int64_t cpus, int64_t lease_deadline) {
  live_[record.id] = Attempt{record, cpus, lease_deadline};
}

Attempt* AttemptTable::Find(int64_t id) {
  auto it = live_.find(id);
  return it == live_.end() ? nullptr : &it->second;
}

const Attempt* AttemptTable::Find(int64_t id) const {
  auto it = live_.find(id);
  return it == live_.end() ? nullptr : &it->second;
}

Attempt* AttemptTable::FindOn(int64_t id, int64_t host_id) {
  Attempt* a = Find(id);
  return a && a->record.host_id == host_id ? a : nullptr;
}

Attempt AttemptTable::Remove(int64_t id) {
  auto it = live_.find(id);
  Attempt a = std::move(it->second);
  live_.erase(it);
  return a;
}

std::vector<int64_t> AttemptTable::ExpiredBy(int64_t now) const {
  std::vector<int64_t> expired;
  for (const auto& [id, a] : live_) {
    if (a.lease_deadline <= now) expired.push_back(id);
  }
  std::sort(expired.begin(), expired.end());
  return expired;
}

std::optional<AttemptRecord> AttemptTable::TakeLost(int64_t id, int64_t host_id) {
  auto it = lost_.find(id);
  if (it == lost_.end() || it->second.host_id != host_id) return std::nullopt;
  AttemptRecord record = it->second;
  lost_.erase(it);
  return record;
}

void AttemptTable::ForgetLostBefore(int64_t horizon) {
  std::erase_if(lost_, [&](const auto& kv) { return kv.second.ended_at < horizon; });
}

}  // namespace gleaner::server
