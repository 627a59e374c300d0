// SqliteMaintenance: StoreMaintenance of one SQLite store file, alongside a
// running server. A backup is SQLite's backup API, which reads one snapshot
// while the server keeps committing, into `<dir>`/gleaner.db; the check is
// SQLite's integrity_check plus the domain's rules. Each call opens its own
// connection; thread-safe.
#pragma once

#include <string>

#include "server/store/store_maintenance.h"

namespace gleaner::server {

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
