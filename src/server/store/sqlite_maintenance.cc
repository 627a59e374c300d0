#include "server/store/sqlite_maintenance.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "server/store/sqlite_store.h"
#include "server/store/store_tables.h"

namespace gleaner::server {

Result<SqliteDb> OpenSqliteFile(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteDb db(raw, &sqlite3_close);
  if (rc != SQLITE_OK) {
    return Internal("cannot open database '" + path + "': " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 10'000);  // the server may hold the write lock for a commit
  return db;
}

namespace {

constexpr const char* kCopyName = "gleaner.db";  // the database's name in a backup directory

// The single integer a query returns, or the error.
Result<int64_t> QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return Internal(std::string("sqlite: ") + sqlite3_errmsg(db));
  }
  int64_t value = 0;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Internal(std::string("sqlite: ") + sqlite3_errmsg(db));
  return value;
}

// Copies the database at `from` into a new file `to` (which must not exist)
// as one consistent snapshot, fsynced.
Status CopyDatabase(const std::string& from, const std::string& to) {
  if (std::filesystem::exists(to)) return Conflict("'" + to + "' exists already; back up into an empty directory");
  auto source = OpenSqliteFile(from, SQLITE_OPEN_READONLY);
  if (!source.ok()) return source.error();
  auto dest = OpenSqliteFile(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!dest.ok()) return dest.error();
  sqlite3_backup* backup = sqlite3_backup_init(dest->get(), "main", source->get(), "main");
  if (!backup) return Internal(std::string("sqlite backup: ") + sqlite3_errmsg(dest->get()));
  // One step of all pages reads a single snapshot: the copy is consistent
  // however many commits the server makes meanwhile.
  int rc;
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Internal(std::string("sqlite backup: ") + sqlite3_errmsg(dest->get()));
  dest->reset();  // close before fsync so every page is in the file
  int fd = ::open(to.c_str(), O_RDONLY | O_CLOEXEC);
  bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!synced) return Internal("cannot fsync '" + to + "'");
  return OkStatus();
}

// What a server would rebuild itself from the database at `path`; opening
// it brings an older schema up to date.
Result<Snapshot> LoadSnapshot(const std::string& path) {
  auto store = SqliteStore::Open(path);
  if (!store.ok()) return store.error();
  return (*store)->LoadAll();
}

}  // namespace

Result<Snapshot> SqliteMaintenance::BackupInto(const std::string& dir) {
  std::string copy = dir + "/" + kCopyName;
  GLEANER_RETURN_IF_ERROR(CopyDatabase(path_, copy));
  return LoadSnapshot(copy);
}

Result<Snapshot> SqliteMaintenance::RestoreFrom(const std::string& dir) {
  GLEANER_RETURN_IF_ERROR(CopyDatabase(dir + "/" + kCopyName, path_));
  return LoadSnapshot(path_);
}

Result<StoreCheck> SqliteMaintenance::Check() {
  if (!std::filesystem::is_regular_file(path_)) return NotFound("no database at '" + path_ + "'");
  auto db = OpenSqliteFile(path_, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.error();
  sqlite3* d = db->get();
  StoreCheck check;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(d, "PRAGMA integrity_check", -1, &stmt, nullptr) != SQLITE_OK) {
    return Internal(std::string("sqlite: ") + sqlite3_errmsg(d));
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string line = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    if (line != "ok") check.problems.push_back("sqlite integrity_check: " + line);
  }
  sqlite3_finalize(stmt);

  struct Count {
    int64_t* into;
    const char* sql;
  };
  for (const Count& c : {Count{&check.jobs, "SELECT COUNT(*) FROM jobs"},
                         Count{&check.task_rows, "SELECT COUNT(*) FROM tasks"},
                         Count{&check.attempts, "SELECT COUNT(*) FROM attempts"},
                         Count{&check.done_tasks, "SELECT COUNT(*) FROM tasks WHERE state = 'done'"}}) {
    auto n = QueryInt(d, c.sql);
    if (!n.ok()) return n.error();
    *c.into = *n;
  }

  for (const StoreRule& rule : StoreRules()) {
    auto n = QueryInt(d, SpellJsonInt(rule.sql, "json_extract($1, '$$.$2')").c_str());
    if (!n.ok()) return n.error();
    if (*n > 0) check.problems.push_back(std::to_string(*n) + " " + rule.what);
  }
  return check;
}

}  // namespace gleaner::server
