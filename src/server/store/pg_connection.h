// PgConnection: one libpq connection to PostgreSQL, and the few calls the
// PostgreSQL store makes on it (statements with text parameters and text
// results). PgAddress names the database: a libpq URL, where libpq's
// environment variables (PGHOST, PGUSER, PGPASSWORD, ...) and ~/.pgpass fill
// what it leaves out, and optionally a file holding the password.
//
// Not thread-safe: one thread uses a connection at a time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

struct pg_conn;
struct pg_result;

namespace gleaner::server {

struct PgAddress {
  std::string url;            // postgresql://user@host:port/db?... (libpq's connection URI)
  std::string password_file;  // "": libpq's own sources of the password

  // The URL without any password in it: for logs and messages.
  std::string Describe() const;
};

// True for a location that names a PostgreSQL database.
bool IsPostgresUrl(const std::string& text);

using PgResult = std::unique_ptr<pg_result, void (*)(pg_result*)>;

class PgConnection {
 public:
  // kUnavailable when PostgreSQL cannot be reached or refuses the login.
  static Result<PgConnection> Connect(const PgAddress& address);

  // Runs `sql` with text parameters $1..$n; the rows it returned, or
  // PostgreSQL's error as a sentence. With a broken connection, kUnavailable.
  Result<PgResult> Query(const std::string& sql, const std::vector<std::string>& params = {});
  // Query() for statements whose rows do not matter.
  Status Run(const std::string& sql, const std::vector<std::string>& params = {});
  // Query(), with `sql` prepared on first use and kept for the connection's
  // life: for the few statements run again and again (a batch's upserts).
  Result<PgResult> QueryPrepared(const std::string& sql, const std::vector<std::string>& params);
  // Runs several statements without parameters (a schema, a migration).
  Status RunScript(const std::string& sql);
  // Runs `body` in one transaction opened with `begin` ("BEGIN ..."):
  // committed when it succeeds, else rolled back and its error returned.
  Status InTransaction(const char* begin, const std::function<Status()>& body);
  // Reconnects when the connection was lost; true when it is usable.
  bool EnsureConnected();
  const std::string& describe() const { return describe_; }

 private:
  PgConnection(pg_conn* conn, std::string describe);
  // The last call's failure: kUnavailable when the connection is gone.
  Error LastError() const;
  std::unique_ptr<pg_conn, void (*)(pg_conn*)> conn_;
  std::string describe_;
  std::map<std::string, std::string> prepared_;  // SQL -> name of its prepared statement on this connection
};

// Values of one result cell: the text, or it read as an integer.
std::string PgText(const PgResult& r, int row, int col);
int64_t PgInt(const PgResult& r, int row, int col);
int PgRows(const PgResult& r);

// A PostgreSQL array literal ({"a","b"}) of `values`, for `$n::text[]` or
// `$n::bigint[]` parameters: one parameter carries a whole column of a batch.
std::string PgArray(const std::vector<std::string>& values);

}  // namespace gleaner::server
