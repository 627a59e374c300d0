// Where a server's store lives, and the one place that turns a location into
// a Store: the code above names no kind of store. The embedded default is
// SQLite in the data directory; a PostgreSQL URL puts every table in that
// database instead (blobs, the CA and admin.token stay in the data directory).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "server/store/store.h"
#include "server/store/store_maintenance.h"

namespace gleaner::server {

struct StoreLocation {
  std::string data_dir;  // the server's data directory; the SQLite store is a file in it
  // "" for SQLite in data_dir; else postgresql://user@host/db (libpq's URL;
  // libpq's environment variables and ~/.pgpass fill what it leaves out).
  std::string postgres_url;
  std::string password_file;  // PostgreSQL: a file holding the password; "" for libpq's own sources
  // PostgreSQL: create the schema in a database without one (the server's
  // --init). Otherwise such a database is refused, so a mistyped URL does
  // not start an empty grid. A SQLite store is always created when new.
  bool create = false;
  // PostgreSQL: with a lease, OpenStore() waits as a standby until this
  // server leads the store, and its commits are fenced by its epoch from then
  // on (postgres_leadership.h). 0 for tools and tests: no leadership.
  std::chrono::milliseconds leader_lease{0};
  std::string leader_name;  // who this server is, in the standbys' logs

  // For logs and messages: where the state is read from.
  std::string Describe() const;
};

// The server's store at `where`, created with its schema when new. One
// thread uses it at a time (see Store).
Result<std::unique_ptr<Store>> OpenStore(const StoreLocation& where);
// A second, read-only connection for reports, beside the server's own:
// Apply() on it fails.
Result<std::unique_ptr<Store>> OpenStoreReader(const StoreLocation& where);
// Maintenance of the store at `where`; opens nothing until it is used.
std::unique_ptr<StoreMaintenance> OpenStoreMaintenance(const StoreLocation& where);

}  // namespace gleaner::server
