#include "server/store/sqlite_store.h"

#include <sqlite3.h>

#include <array>

#include <nlohmann/json.hpp>

#include "api/json.h"
#include "common/clock.h"
#include "server/store/record_columns.h"

namespace gleaner::server {
namespace {

using nlohmann::json;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS jobs(
  id INTEGER PRIMARY KEY, spec TEXT NOT NULL, owner TEXT NOT NULL,
  created_at INTEGER NOT NULL, cancelled INTEGER NOT NULL, finished_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tasks(
  job_id INTEGER NOT NULL, idx INTEGER NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
  host_id INTEGER NOT NULL, outcome TEXT NOT NULL, checkpoint TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(job_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS attempts(
  id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL, idx INTEGER NOT NULL, host_id INTEGER NOT NULL,
  state TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL, reason TEXT NOT NULL,
  cpu_ms INTEGER NOT NULL, wall_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS hosts(
  id INTEGER PRIMARY KEY, facts TEXT NOT NULL, slots INTEGER NOT NULL,
  credential_hash TEXT NOT NULL UNIQUE, enrolled_at INTEGER NOT NULL,
  quarantined INTEGER NOT NULL, quarantine_reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens(
  hash TEXT PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS policies(scope TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit(
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL, role TEXT NOT NULL, peer TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_live ON attempts(state) WHERE state IN ('assigned','running');
CREATE INDEX IF NOT EXISTS attempts_finished ON attempts(ended_at) WHERE state IN ('succeeded','failed');
)sql";

// One prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK; }
  Statement& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // Runs an INSERT/UPDATE to completion and resets for the next bindings.
  Status Run() {
    int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    if (rc != SQLITE_DONE) return Internal(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return OkStatus();
  }
  // For SELECTs: true while a row is available.
  bool Next() { return sqlite3_step(stmt_) == SQLITE_ROW; }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) {
    auto p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col)) : "";
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// Columns added after a table was first created, before schema versions: a
// database made by an older server gets them with version 1. Frozen: later
// changes are migrations (kMigrations). (table, column, declaration)
struct AddedColumn {
  const char* table;
  const char* column;
  const char* declaration;
};
constexpr AddedColumn kAddedColumns[] = {
    {"tasks", "checkpoint", "TEXT NOT NULL DEFAULT ''"},  // checkpoint migration (docs/checkpoints.md)
    {"hosts", "revoked_at", "INTEGER NOT NULL DEFAULT 0"},  // `gleaner host revoke`
    {"tokens", "expires_at", "INTEGER NOT NULL DEFAULT 0"},
    {"tokens", "max_uses", "INTEGER NOT NULL DEFAULT 0"},
    {"tokens", "uses", "INTEGER NOT NULL DEFAULT 0"},
    {"tokens", "revoked_at", "INTEGER NOT NULL DEFAULT 0"},
    {"tokens", "created_by", "TEXT NOT NULL DEFAULT ''"},
    {"tasks", "validation", "TEXT NOT NULL DEFAULT ''"},  // replicated results (docs/validation.md)
    {"hosts", "agreements", "INTEGER NOT NULL DEFAULT 0"},
    {"hosts", "disagreements", "INTEGER NOT NULL DEFAULT 0"},
};

// The schema's versions. Version 1 is kSchema with kAddedColumns, which any
// database made before versions were recorded reaches (both are idempotent);
// version 2 onwards is kMigrations[0] onwards, oldest first. A database
// records each version applied to it in schema_version. Append migrations;
// never change one that has shipped.
constexpr std::array<const char*, 1> kMigrations = {
    // 2: submitter tokens granted network (docs/security.md).
    "ALTER TABLE tokens ADD COLUMN allow_network INTEGER NOT NULL DEFAULT 0",
};
constexpr int64_t kSchemaVersion = 1 + static_cast<int64_t>(kMigrations.size());

Result<sqlite3*> OpenConnection(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Internal("cannot open database '" + path + "': " + msg);
  }
  return db;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  auto db = OpenConnection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db.ok()) return db.error();
  std::unique_ptr<SqliteStore> store(new SqliteStore(*db));
  // WAL + FULL: every commit is fsynced before Apply() returns.
  GLEANER_RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"));
  GLEANER_RETURN_IF_ERROR(store->Migrate(path));
  return store;
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::OpenReadOnly(const std::string& path) {
  auto db = OpenConnection(path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.error();
  std::unique_ptr<SqliteStore> store(new SqliteStore(*db));
  // The writer holds the lock briefly while it checkpoints; wait rather than fail.
  sqlite3_busy_timeout(*db, 5000);
  return store;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

Status SqliteStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Internal("sqlite: " + msg);
  }
  return OkStatus();
}

Status SqliteStore::AddMissingColumns() {
  for (const auto& added : kAddedColumns) {
    std::string info = std::string("SELECT COUNT(*) FROM pragma_table_info('") + added.table + "') WHERE name = '" +
                       added.column + "'";
    Statement s(db_, info.c_str());
    if (!s.prepared()) return Internal(std::string("sqlite: ") + sqlite3_errmsg(db_));
    if (s.Next() && s.Int(0) > 0) continue;
    std::string alter =
        std::string("ALTER TABLE ") + added.table + " ADD COLUMN " + added.column + " " + added.declaration;
    GLEANER_RETURN_IF_ERROR(Exec(alter.c_str()));
  }
  return OkStatus();
}

Status SqliteStore::InTransaction(const std::function<Status()>& body) {
  GLEANER_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Status st = body();
  if (!st.ok()) {
    (void)Exec("ROLLBACK");
    return st;
  }
  return Exec("COMMIT");
}

Status SqliteStore::Migrate(const std::string& path) {
  GLEANER_RETURN_IF_ERROR(
      Exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
  int64_t version = 0;
  {
    Statement s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    if (!s.prepared() || !s.Next()) return Internal(std::string("sqlite: ") + sqlite3_errmsg(db_));
    version = s.Int(0);
  }
  if (version > kSchemaVersion) {
    return Conflict("the database '" + path + "' has schema version " + std::to_string(version) +
                    ", newer than this gleaner knows (" + std::to_string(kSchemaVersion) +
                    "): run the gleaner that made it, or a newer one");
  }
  for (int64_t next = version + 1; next <= kSchemaVersion; ++next) {
    GLEANER_RETURN_IF_ERROR(InTransaction([&]() -> Status {
      if (next == 1) {
        GLEANER_RETURN_IF_ERROR(Exec(kSchema));
        GLEANER_RETURN_IF_ERROR(AddMissingColumns());
      } else {
        GLEANER_RETURN_IF_ERROR(Exec(kMigrations[next - 2]));
      }
      Statement done(db_, "INSERT INTO schema_version VALUES(?, ?)");
      return done.Bind(1, next).Bind(2, NowUnixMillis()).Run();
    }));
  }
  return OkStatus();
}

Status SqliteStore::Apply(const Batch& batch) {
  if (batch.empty()) return OkStatus();
  return InTransaction([&]() -> Status {
    if (!batch.jobs.empty()) {
      Statement s(db_, "INSERT OR REPLACE INTO jobs VALUES(?,?,?,?,?,?)");
      for (const auto& r : batch.jobs) {
        GLEANER_RETURN_IF_ERROR(s.Bind(1, r.id).Bind(2, json(r.spec).dump()).Bind(3, r.owner)
                                    .Bind(4, r.created_at).Bind(5, int64_t{r.cancelled}).Bind(6, r.finished_at).Run());
      }
    }
    if (!batch.hosts.empty()) {
      Statement s(db_,
                  "INSERT OR REPLACE INTO hosts(id, facts, slots, credential_hash, enrolled_at, quarantined, "
                  "quarantine_reason, revoked_at, agreements, disagreements) VALUES(?,?,?,?,?,?,?,?,?,?)");
      for (const auto& r : batch.hosts) {
        GLEANER_RETURN_IF_ERROR(s.Bind(1, r.id).Bind(2, json(r.facts).dump()).Bind(3, r.slots)
                                    .Bind(4, r.credential_hash).Bind(5, r.enrolled_at)
                                    .Bind(6, int64_t{r.quarantined}).Bind(7, r.quarantine_reason)
                                    .Bind(8, r.revoked_at).Bind(9, r.agreements).Bind(10, r.disagreements).Run());
      }
    }
    if (!batch.tokens.empty()) {
      Statement s(db_,
                  "INSERT OR REPLACE INTO tokens(hash, role, name, created_at, expires_at, max_uses, uses, revoked_at, "
                  "created_by, allow_network) VALUES(?,?,?,?,?,?,?,?,?,?)");
      for (const auto& r : batch.tokens) {
        GLEANER_RETURN_IF_ERROR(s.Bind(1, r.hash).Bind(2, std::string(api::RoleName(r.role))).Bind(3, r.name)
                                    .Bind(4, r.created_at).Bind(5, r.expires_at).Bind(6, r.max_uses).Bind(7, r.uses)
                                    .Bind(8, r.revoked_at).Bind(9, r.created_by)
                                    .Bind(10, int64_t{r.allow_network}).Run());
      }
    }
    if (!batch.audit.empty()) {
      Statement s(db_,
                  "INSERT INTO audit(at, who, role, peer, action, target, outcome, detail) VALUES(?,?,?,?,?,?,?,?)");
      for (const auto& e : batch.audit) {
        GLEANER_RETURN_IF_ERROR(s.Bind(1, e.at).Bind(2, e.who).Bind(3, e.role).Bind(4, e.peer).Bind(5, e.action)
                                    .Bind(6, e.target).Bind(7, e.outcome).Bind(8, e.detail).Run());
      }
    }
    if (!batch.policies.empty()) {
      Statement s(db_, "INSERT OR REPLACE INTO policies VALUES(?,?)");
      for (const auto& r : batch.policies) GLEANER_RETURN_IF_ERROR(s.Bind(1, r.scope).Bind(2, json(r.policy).dump()).Run());
    }
    if (!batch.tasks.empty()) {
      Statement s(db_,
                  "INSERT OR REPLACE INTO tasks(job_id, idx, state, attempts, host_id, outcome, checkpoint, validation) "
                  "VALUES(?,?,?,?,?,?,?,?)");
      for (const auto& r : batch.tasks) {
        GLEANER_RETURN_IF_ERROR(s.Bind(1, r.job_id).Bind(2, r.index).Bind(3, std::string(api::TaskStateName(r.state)))
                                    .Bind(4, r.attempts).Bind(5, r.host_id).Bind(6, OutcomeToJson(r.outcome).dump())
                                    .Bind(7, CheckpointToText(r.checkpoint)).Bind(8, ValidationToText(r.validation))
                                    .Run());
      }
    }
    if (!batch.attempts.empty()) {
      Statement s(db_, "INSERT OR REPLACE INTO attempts VALUES(?,?,?,?,?,?,?,?,?,?)");
      for (const auto& r : batch.attempts) {
        GLEANER_RETURN_IF_ERROR(s.Bind(1, r.id).Bind(2, r.job_id).Bind(3, r.index).Bind(4, r.host_id)
                                    .Bind(5, std::string(api::AttemptStateName(r.state))).Bind(6, r.started_at)
                                    .Bind(7, r.ended_at).Bind(8, r.reason).Bind(9, r.cpu_ms).Bind(10, r.wall_ms).Run());
      }
    }
    return OkStatus();
  });
}

Result<Snapshot> SqliteStore::LoadAll() {
  Snapshot snap;
  try {
    {
      Statement s(db_, "SELECT id, spec, owner, created_at, cancelled, finished_at FROM jobs ORDER BY id");
      while (s.Next()) {
        snap.jobs.push_back({s.Int(0), json::parse(s.Text(1)).get<api::JobSpec>(), s.Text(2), s.Int(3), s.Int(4) != 0,
                             s.Int(5)});
      }
    }
    {
      Statement s(db_,
                  "SELECT job_id, idx, state, attempts, host_id, outcome, checkpoint, validation FROM tasks "
                  "ORDER BY job_id, idx");
      while (s.Next()) {
        TaskRecord r{s.Int(0), s.Int(1), api::TaskStateFromName(s.Text(2)).value_or(api::TaskState::kQueued), s.Int(3),
                     s.Int(4), OutcomeFromJson(json::parse(s.Text(5))), CheckpointFromText(s.Text(6)),
                     ValidationFromText(s.Text(7))};
        snap.tasks.push_back(std::move(r));
      }
    }
    {
      Statement s(db_,
                  "SELECT id, job_id, idx, host_id, state, started_at, ended_at, reason, cpu_ms, wall_ms FROM attempts "
                  "WHERE state IN ('assigned','running') ORDER BY id");
      while (s.Next()) {
        snap.live_attempts.push_back({s.Int(0), s.Int(1), s.Int(2), s.Int(3),
                                      api::AttemptStateFromName(s.Text(4)).value_or(api::AttemptState::kAssigned),
                                      s.Int(5), s.Int(6), s.Text(7), s.Int(8), s.Int(9)});
      }
      Statement max(db_, "SELECT COALESCE(MAX(id), 0) FROM attempts");
      if (max.Next()) snap.max_attempt_id = max.Int(0);
    }
    {
      Statement s(db_,
                  "SELECT id, facts, slots, credential_hash, enrolled_at, quarantined, quarantine_reason, revoked_at, "
                  "agreements, disagreements FROM hosts ORDER BY id");
      while (s.Next()) {
        snap.hosts.push_back({s.Int(0), json::parse(s.Text(1)).get<api::HostFacts>(), s.Int(2), s.Text(3), s.Int(4),
                              s.Int(5) != 0, s.Text(6), s.Int(7), s.Int(8), s.Int(9)});
      }
    }
    {
      Statement s(db_,
                  "SELECT hash, role, name, created_at, expires_at, max_uses, uses, revoked_at, created_by, "
                  "allow_network FROM tokens");
      while (s.Next()) {
        snap.tokens.push_back({s.Text(0), api::RoleFromName(s.Text(1)).value_or(api::Role::kViewer), s.Text(2),
                               s.Int(3), s.Int(4), s.Int(5), s.Int(6), s.Int(7), s.Text(8), s.Int(9) != 0});
      }
    }
    {
      Statement s(db_, "SELECT scope, json FROM policies");
      while (s.Next()) snap.policies.push_back({s.Text(0), json::parse(s.Text(1)).get<api::Policy>()});
    }
  } catch (const json::exception& e) {
    return Internal(std::string("the database holds a record that cannot be read: ") + e.what());
  }
  return snap;
}

Result<std::vector<api::AuditEvent>> SqliteStore::Audit(const AuditQuery& query) {
  // Newest first, so a limit keeps the latest events.
  Statement s(db_,
              "SELECT id, at, who, role, peer, action, target, outcome, detail FROM audit "
              "WHERE at >= ? AND (? = '' OR who = ?) AND (? = '' OR action = ? OR action LIKE ? || '.%') "
              "ORDER BY id DESC LIMIT ?");
  if (!s.prepared()) return Internal(std::string("sqlite: ") + sqlite3_errmsg(db_));
  s.Bind(1, query.since).Bind(2, query.who).Bind(3, query.who).Bind(4, query.action).Bind(5, query.action)
      .Bind(6, query.action).Bind(7, query.limit);
  std::vector<api::AuditEvent> events;
  while (s.Next()) {
    events.push_back({s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Text(7), s.Text(8)});
  }
  return events;
}

Result<std::vector<UsageRow>> SqliteStore::Usage(int64_t since) {
  // Summed in SQL per (host, owner, day), so a report over millions of
  // attempts returns a handful of rows.
  Statement s(db_,
              "SELECT COALESCE(json_extract(h.facts, '$.hostname'), 'host ' || a.host_id), j.owner, "
              "(a.ended_at / 86400000) * 86400000 AS day, SUM(a.cpu_ms), SUM(a.wall_ms), "
              "SUM(a.state = 'succeeded'), SUM(a.state = 'failed') "
              "FROM attempts a JOIN jobs j ON j.id = a.job_id LEFT JOIN hosts h ON h.id = a.host_id "
              "WHERE a.state IN ('succeeded','failed') AND a.ended_at >= ? "
              "GROUP BY a.host_id, j.owner, day ORDER BY day, 1, 2");
  if (!s.prepared()) return Internal(std::string("sqlite: ") + sqlite3_errmsg(db_));
  s.Bind(1, since);
  std::vector<UsageRow> rows;
  while (s.Next()) rows.push_back({s.Text(0), s.Text(1), s.Int(2), s.Int(3), s.Int(4), s.Int(5), s.Int(6)});
  return rows;
}

}  // namespace gleaner::server
