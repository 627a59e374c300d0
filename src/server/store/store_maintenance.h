// StoreMaintenance: the administrator's operations on a store, beside the
// Store that the server commits to: an online backup, a restore into a new
// store, and an integrity check. Typed like Store: no SQL or database file
// above it, so each kind of store implements it in its own way.
//
// Safe alongside a running server, and thread-safe: each call opens its own
// connection to the store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/store/records.h"

namespace gleaner::server {

struct StoreCheck {
  int64_t jobs = 0;
  int64_t task_rows = 0;
  int64_t attempts = 0;
  int64_t done_tasks = 0;
  std::vector<std::string> problems;  // empty when the store is sound
};

class StoreMaintenance {
 public:
  virtual ~StoreMaintenance() = default;
  // Writes one consistent snapshot of the whole store, history included,
  // into the directory `dir` (which exists and holds no store yet), durably,
  // while the server may keep committing. Returns what the copy holds, as a
  // server would rebuild itself from it.
  virtual Result<Snapshot> BackupInto(const std::string& dir) = 0;
  // Fills this store, which must not exist yet, from a copy that BackupInto
  // wrote into `dir`, and returns what it now holds.
  virtual Result<Snapshot> RestoreFrom(const std::string& dir) = 0;
  // Checks the store: its engine's own integrity check and the domain's
  // rules (every task row belongs to a job and is in range, every done task
  // names exactly one accepted attempt that succeeded for that task, no task
  // has two attempts in flight, every attempt in flight is of a running task
  // and every attempt of a known host). kNotFound when there is no store.
  virtual Result<StoreCheck> Check() = 0;
};

}  // namespace gleaner::server
