// SqliteStore: the embedded default Store, one SQLite file in WAL mode with
// synchronous=FULL, so a committed transaction survives a crash or power loss.
//
// Not thread-safe: one thread uses it at a time (see Store).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "server/store/store.h"

struct sqlite3;

namespace gleaner::server {

class SqliteStore : public Store {
 public:
  // Opens or creates the database at `path` and brings its schema up to this
  // binary's version; kConflict when the database is newer than the binary.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  // A second connection for reports, beside the writer's: WAL lets it read
  // while the writer commits. Apply() on it fails.
  static Result<std::unique_ptr<SqliteStore>> OpenReadOnly(const std::string& path);
  ~SqliteStore() override;

  Status Apply(const Batch& batch) override;
  Result<Snapshot> LoadAll() override;
  Result<std::vector<UsageRow>> Usage(int64_t since) override;
  Result<std::vector<api::AuditEvent>> Audit(const AuditQuery& query) override;

 private:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);
  // Runs `body` in one write transaction: committed when it succeeds, else rolled back.
  Status InTransaction(const std::function<Status()>& body);
  // Applies the schema versions the database lacks (see kMigrations).
  Status Migrate(const std::string& path);
  // Adds columns newer than a database made by an older server.
  Status AddMissingColumns();

  sqlite3* const db_;
};

}  // namespace gleaner::server
