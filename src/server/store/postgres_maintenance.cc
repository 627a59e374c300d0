#include "server/store/postgres_maintenance.h"

#include <sqlite3.h>

#include <filesystem>

#include "server/store/postgres_store.h"
#include "server/store/sqlite_maintenance.h"
#include "server/store/sqlite_store.h"
#include "server/store/store_tables.h"

namespace gleaner::server {

namespace {

constexpr const char* kCopyName = "gleaner.db";  // the SQLite file in a backup directory, as SqliteMaintenance writes it
constexpr int kRowsPerStep = 10'000;             // rows read and written at a time: a large store is never in memory

using Row = std::vector<std::string>;
Status SqliteExec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Internal(std::string("sqlite: ") + sqlite3_errmsg(db));
  }
  return OkStatus();
}

std::string ColumnList(const StoreTable& table) {
  std::string names;
  for (const auto& c : table.columns) names += (names.empty() ? "" : ", ") + std::string(c.name);
  return names;
}

// Copies every row of `table` from the PostgreSQL transaction open on `pg`
// into the SQLite database `db`, a cursor step at a time.
Status CopyToSqlite(PgConnection& pg, sqlite3* db, const StoreTable& table) {
  std::string placeholders;
  for (size_t c = 0; c < table.columns.size(); ++c) placeholders += c == 0 ? "?" : ",?";
  std::string insert = "INSERT INTO " + std::string(table.name) + "(" + ColumnList(table) + ") VALUES(" +
                       placeholders + ")";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, insert.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return Internal(std::string("sqlite: ") + sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, &sqlite3_finalize);
  GLEANER_RETURN_IF_ERROR(pg.Run("DECLARE rows NO SCROLL CURSOR FOR SELECT " + ColumnList(table) + " FROM " +
                                 table.name + " ORDER BY " + table.columns[0].name));
  for (;;) {
    auto r = pg.Query("FETCH " + std::to_string(kRowsPerStep) + " FROM rows");
    if (!r.ok()) return r.error();
    for (int i = 0; i < PgRows(*r); ++i) {
      for (size_t c = 0; c < table.columns.size(); ++c) {
        int col = static_cast<int>(c);
        if (table.columns[c].integer) {
          sqlite3_bind_int64(raw, col + 1, PgInt(*r, i, col));
        } else {
          std::string text = PgText(*r, i, col);
          sqlite3_bind_text(raw, col + 1, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        }
      }
      int rc = sqlite3_step(raw);
      sqlite3_reset(raw);
      if (rc != SQLITE_DONE) return Internal(std::string("sqlite: ") + sqlite3_errmsg(db));
    }
    if (PgRows(*r) < kRowsPerStep) break;
  }
  return pg.Run("CLOSE rows");
}

// Copies every row of `table` from the SQLite database `db` into the
// PostgreSQL transaction open on `pg`, kRowsPerStep rows per statement.
Status CopyFromSqlite(sqlite3* db, PgConnection& pg, const StoreTable& table) {
  std::string select = "SELECT " + ColumnList(table) + " FROM " + table.name;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, select.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return Internal(std::string("sqlite: ") + sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, &sqlite3_finalize);
  std::vector<Row> rows;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    Row row;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      auto text = sqlite3_column_text(raw, static_cast<int>(c));
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "",
                       text ? sqlite3_column_bytes(raw, static_cast<int>(c)) : 0);
    }
    rows.push_back(std::move(row));
    if (rows.size() == kRowsPerStep) {
      GLEANER_RETURN_IF_ERROR(PgWriteRows(pg, table.name, table.columns, table.key_columns, rows));
      rows.clear();
    }
  }
  if (rc != SQLITE_DONE) return Internal(std::string("sqlite: ") + sqlite3_errmsg(db));
  return PgWriteRows(pg, table.name, table.columns, table.key_columns, rows);
}


}  // namespace

Result<Snapshot> PostgresMaintenance::BackupInto(const std::string& dir) {
  std::string copy = dir + "/" + kCopyName;
  if (std::filesystem::exists(copy)) return Conflict("'" + copy + "' exists already; back up into an empty directory");
  auto pg = PgConnection::Connect(address_);
  if (!pg.ok()) return pg.error();
  {
    // The SQLite store's schema, at this binary's version, then its rows.
    auto created = SqliteStore::Open(copy);
    if (!created.ok()) return created.error();
  }
  auto db = OpenSqliteFile(copy, SQLITE_OPEN_READWRITE);
  if (!db.ok()) return db.error();
  GLEANER_RETURN_IF_ERROR(SqliteExec(db->get(), "PRAGMA synchronous=FULL; BEGIN"));
  GLEANER_RETURN_IF_ERROR(pg->InTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&]() -> Status {
    auto has = PgHasSchema(*pg);
    if (!has.ok()) return has.error();
    if (!*has) return NotFound("the database " + address_.Describe() + " holds no Gleaner store");
    for (const auto& table : StoreTables()) GLEANER_RETURN_IF_ERROR(CopyToSqlite(*pg, db->get(), table));
    return OkStatus();
  }));
  GLEANER_RETURN_IF_ERROR(SqliteExec(db->get(), "COMMIT"));  // fsynced: synchronous=FULL
  db->reset();
  auto store = SqliteStore::Open(copy);
  if (!store.ok()) return store.error();
  return (*store)->LoadAll();
}

Result<Snapshot> PostgresMaintenance::RestoreFrom(const std::string& dir) {
  std::string copy = dir + "/" + kCopyName;
  if (!std::filesystem::is_regular_file(copy)) return NotFound("no backup at '" + copy + "'");
  {
    // Brings a backup made by an older gleaner up to this one's schema.
    auto backup = SqliteStore::Open(copy);
    if (!backup.ok()) return backup.error();
  }
  auto db = OpenSqliteFile(copy, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.error();
  auto pg = PgConnection::Connect(address_);
  if (!pg.ok()) return pg.error();
  // All or nothing: the schema and every row in one transaction.
  GLEANER_RETURN_IF_ERROR(pg->InTransaction("BEGIN", [&]() -> Status {
    auto has = PgHasSchema(*pg);
    if (!has.ok()) return has.error();
    if (*has) {
      return Conflict("the database " + address_.Describe() +
                      " holds a Gleaner store already; restore into a database without one");
    }
    GLEANER_RETURN_IF_ERROR(PgMigrate(*pg, /*create=*/true));
    for (const auto& table : StoreTables()) GLEANER_RETURN_IF_ERROR(CopyFromSqlite(db->get(), *pg, table));
    // Audit ids came along: new events are numbered after them.
    return pg->Run("SELECT setval(pg_get_serial_sequence('audit', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM audit");
  }));
  auto store = PostgresStore::Open(address_, /*create=*/false);
  if (!store.ok()) return store.error();
  return (*store)->LoadAll();
}

Result<StoreCheck> PostgresMaintenance::Check() {
  auto pg = PgConnection::Connect(address_);
  if (!pg.ok()) return pg.error();
  StoreCheck check;
  Status run = pg->InTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&]() -> Status {
    auto has = PgHasSchema(*pg);
    if (!has.ok()) return has.error();
    if (!*has) return NotFound("the database " + address_.Describe() + " holds no Gleaner store");
    auto counts = pg->Query(
        "SELECT (SELECT COUNT(*) FROM jobs), (SELECT COUNT(*) FROM tasks), (SELECT COUNT(*) FROM attempts), "
        "(SELECT COUNT(*) FROM tasks WHERE state = 'done')");
    if (!counts.ok()) return counts.error();
    check.jobs = PgInt(*counts, 0, 0);
    check.task_rows = PgInt(*counts, 0, 1);
    check.attempts = PgInt(*counts, 0, 2);
    check.done_tasks = PgInt(*counts, 0, 3);
    for (const StoreRule& rule : StoreRules()) {
      auto n = pg->Query(SpellJsonInt(rule.sql, "(($1)::jsonb->>'$2')::bigint"));
      if (!n.ok()) return n.error();
      if (PgInt(*n, 0, 0) > 0) check.problems.push_back(std::to_string(PgInt(*n, 0, 0)) + " " + rule.what);
    }
    return OkStatus();
  });
  if (!run.ok()) return run.error();
  return check;
}

}  // namespace gleaner::server
