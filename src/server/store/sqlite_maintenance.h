// SqliteMaintenance: StoreMaintenance of one SQLite store file, alongside a
// running server. A backup is SQLite's backup API, which reads one snapshot
// while the server keeps committing, into `<dir>`/gleaner.db; the check is
// SQLite's integrity_check plus the domain's rules. Each call opens its own
// connection; thread-safe.
#pragma once

#include <memory>
#include <string>

#include "server/store/store_maintenance.h"

struct sqlite3;

namespace gleaner::server {

// A raw connection to the SQLite file at `path` (sqlite3_open_v2 `flags`),
// waiting up to 10 s for a server's commit to release the lock; for the
// copies that backups and restores make.
using SqliteDb = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;
Result<SqliteDb> OpenSqliteFile(const std::string& path, int flags);

class SqliteMaintenance : public StoreMaintenance {
 public:
  explicit SqliteMaintenance(std::string path) : path_(std::move(path)) {}

  Result<Snapshot> BackupInto(const std::string& dir) override;
  Result<Snapshot> RestoreFrom(const std::string& dir) override;
  Result<StoreCheck> Check() override;

 private:
  const std::string path_;  // the database file
};

}  // namespace gleaner::server
