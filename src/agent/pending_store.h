// PendingStore keeps finished attempts' completions durably, one file per
// attempt (<dir>/<attempt_id>.json), from before they are first sent until the
// server has accepted them, so no result is lost to a crash or an outage.
// Thread-safe: attempt threads add, the agent loop reads and forgets.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/types.h"
#include "common/status.h"

namespace gleaner::agent {

class PendingStore {
 public:
  // Loads the completions a previous run left behind. Files that cannot be
  // read are skipped with a warning and left for a person to inspect.
  static Result<std::unique_ptr<PendingStore>> Open(const std::string& dir);

  // Durable on return.
  Status Add(const api::Completion& completion);
  Status Forget(int64_t attempt_id);
  std::vector<api::Completion> All() const;
  bool Holds(int64_t attempt_id) const;

 private:
  explicit PendingStore(std::string dir) : dir_(std::move(dir)) {}
  std::string PathOf(int64_t attempt_id) const;

  const std::string dir_;
  mutable std::mutex mu_;
  std::map<int64_t, api::Completion> completions_;  // guarded by mu_
};

}  // namespace gleaner::agent
