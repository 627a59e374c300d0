// Maintenance of a SQLite store file that work alongside a running server:
// an online, consistent copy (SQLite's backup API, which reads one snapshot
// while the server keeps committing), and an integrity check (SQLite's own
// plus the domain's rules). Each call opens its own connection; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace gleaner::server {

// Copies the database at `from` into a new file `to` (which must not exist)
// as one consistent snapshot, fsynced.
Status BackupSqliteDatabase(const std::string& from, const std::string& to);

struct StoreCheck {
  int64_t jobs = 0;
  int64_t task_rows = 0;
  int64_t attempts = 0;
  int64_t done_tasks = 0;
  std::vector<std::string> problems;  // empty when the store is sound
};

// Reads the database at `path` read-only and checks it: SQLite's
// integrity_check, every task row belongs to a job and is in range, every
// done task names exactly one accepted attempt that succeeded for that task,
// no task has two attempts in flight, every attempt in flight is of a running task.
Result<StoreCheck> CheckSqliteDatabase(const std::string& path);

}  // namespace gleaner::server
