#include "agent/checkpoint/checkpoint_outbox.h"

namespace gleaner::agent {

void CheckpointOutbox::Put(int64_t attempt_id, api::FileRef blob) {
  std::lock_guard lock(mu_);
  latest_[attempt_id] = std::move(blob);
}

std::vector<api::CheckpointReport> CheckpointOutbox::Pending() const {
  std::lock_guard lock(mu_);
  std::vector<api::CheckpointReport> reports;
  for (const auto& [id, blob] : latest_) reports.push_back({id, blob});
  return reports;
}

void CheckpointOutbox::Delivered(const std::vector<api::CheckpointReport>& delivered) {
  std::lock_guard lock(mu_);
  for (const auto& report : delivered) {
    auto it = latest_.find(report.attempt_id);
    if (it != latest_.end() && it->second.sha256 == report.blob.sha256) latest_.erase(it);
  }
}

}  // namespace gleaner::agent
