// PostgresMaintenance: StoreMaintenance of a PostgreSQL store. A backup is
// portable: one consistent snapshot of the database (a repeatable-read
// transaction, while the server keeps committing), history included, written
// as the SQLite store's own file `<dir>`/gleaner.db; so a restore fills either
// kind of store from a backup of either kind. The check is the domain's rules
// (PostgreSQL has no whole-database integrity check; pg_amcheck is the
// administrator's). Each call opens its own connection; thread-safe.
#pragma once

#include "server/store/pg_connection.h"
#include "server/store/store_maintenance.h"

namespace gleaner::server {

class PostgresMaintenance : public StoreMaintenance {
 public:
  explicit PostgresMaintenance(PgAddress address) : address_(std::move(address)) {}

  Result<Snapshot> BackupInto(const std::string& dir) override;
  // Fills a database that holds no Gleaner store yet (else kConflict).
  Result<Snapshot> RestoreFrom(const std::string& dir) override;
  Result<StoreCheck> Check() override;

 private:
  const PgAddress address_;
};

}  // namespace gleaner::server
