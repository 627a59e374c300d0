// PostgresStore: the Store in a PostgreSQL database, for a grid whose state
// must outlive the server's machine. Every table of the embedded SQLite store,
// with the same columns; a batch is one transaction of one multi-row upsert
// per table, all sent as one statement (data-modifying WITH clauses): one
// round trip per batch, durable on return with synchronous_commit on. Blobs stay on the filesystem (docs/operations.md).
//
// Not thread-safe: one thread uses it at a time (see Store).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "server/store/pg_connection.h"
#include "server/store/postgres_leadership.h"
#include "server/store/store.h"
#include "server/store/store_tables.h"

namespace gleaner::server {

// Which server leads the store (postgres_leadership.h); a lease of 0 opens
// the store without leadership (tools, tests: nothing is fenced).
struct LeaderOptions {
  std::string holder;  // who this server is, for the standbys' logs
  std::chrono::milliseconds lease{0};
};

class PostgresStore : public Store {
 public:
  // Connects and brings the schema up to this binary's version. A database
  // without Gleaner's schema gets it only with `create` (the server's
  // --init), else kNotFound; kConflict when the schema is newer than the
  // binary; kUnavailable when PostgreSQL cannot be reached. With a lease in
  // `lead`, waits as a standby until this server leads, and from then on
  // every Apply() commits only while it still does (else kConflict, with
  // nothing of the batch committed).
  static Result<std::unique_ptr<PostgresStore>> Open(const PgAddress& address, bool create,
                                                     const LeaderOptions& lead = {});
  // A read-only connection for reports: Apply() on it fails.
  static Result<std::unique_ptr<PostgresStore>> OpenReadOnly(const PgAddress& address);

  Status Apply(const Batch& batch) override;
  Result<Snapshot> LoadAll() override;
  Result<std::vector<UsageRow>> Usage(int64_t since) override;
  Result<std::vector<api::AuditEvent>> Audit(const AuditQuery& query) override;

 private:
  explicit PostgresStore(PgConnection conn) : conn_(std::move(conn)) {}
  Result<Snapshot> LoadInSnapshot();

  PgConnection conn_;
  std::unique_ptr<PostgresLeadership> leadership_;  // null: not fenced
};

// Inside the caller's transaction: brings the schema of the database up to
// this binary's version (see PostgresStore::Open for `create` and the errors),
// serialised against other servers doing the same.
Status PgMigrate(PgConnection& conn, bool create);
// True when the database holds Gleaner's schema.
Result<bool> PgHasSchema(PgConnection& conn);
// The statement that writes `rows` (text values, in `columns` order) into
// `table`: an upsert on its first `key_columns` columns, a plain insert when
// 0. Each column travels as one array parameter, numbered after those
// already in `params`, to which they are added. Rows with equal keys must
// have been merged already.
// `where`, unless "", filters the rows written.
std::string PgWriteRowsSql(const char* table, const std::vector<StoreColumn>& columns, size_t key_columns,
                           const std::vector<std::vector<std::string>>& rows, std::vector<std::string>& params,
                           const std::string& where);
// Runs PgWriteRowsSql()'s statement; nothing to do for no rows.
Status PgWriteRows(PgConnection& conn, const char* table, const std::vector<StoreColumn>& columns, size_t key_columns,
                   const std::vector<std::vector<std::string>>& rows);

}  // namespace gleaner::server
