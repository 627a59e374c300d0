// CheckpointOutbox: the latest checkpoint blob of each running attempt, from
// the attempt's thread (which uploaded it) to the agent loop (which tells the
// server in its next sync). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "api/types.h"

namespace gleaner::agent {

class CheckpointOutbox {
 public:
  // `blob` replaces any earlier one of the attempt not yet delivered.
  void Put(int64_t attempt_id, api::FileRef blob);
  // What the next sync should carry, oldest attempt first.
  std::vector<api::CheckpointReport> Pending() const;
  // The server has heard of `delivered`: forget each unless a newer one came meanwhile.
  void Delivered(const std::vector<api::CheckpointReport>& delivered);

 private:
  mutable std::mutex mu_;
  std::map<int64_t, api::FileRef> latest_;  // guarded by mu_
};

}  // namespace gleaner::agent
