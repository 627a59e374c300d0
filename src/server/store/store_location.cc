#include "server/store/store_location.h"

#include "server/store/postgres_maintenance.h"
#include "server/store/postgres_store.h"
#include "server/store/sqlite_maintenance.h"
#include "server/store/sqlite_store.h"

namespace gleaner::server {

namespace {

std::string SqlitePath(const StoreLocation& where) { return where.data_dir + "/gleaner.db"; }
bool IsPostgres(const StoreLocation& where) { return !where.postgres_url.empty(); }
PgAddress Postgres(const StoreLocation& where) { return {where.postgres_url, where.password_file}; }

template <typename Kind>
Result<std::unique_ptr<Store>> AsStore(Result<std::unique_ptr<Kind>> store) {
  if (!store.ok()) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace

std::string StoreLocation::Describe() const { return IsPostgres(*this) ? Postgres(*this).Describe() : SqlitePath(*this); }

Result<std::unique_ptr<Store>> OpenStore(const StoreLocation& where) {
  if (IsPostgres(where)) return AsStore(PostgresStore::Open(Postgres(where), where.create, {where.leader_name, where.leader_lease}));
  return AsStore(SqliteStore::Open(SqlitePath(where)));
}

Result<std::unique_ptr<Store>> OpenStoreReader(const StoreLocation& where) {
  if (IsPostgres(where)) return AsStore(PostgresStore::OpenReadOnly(Postgres(where)));
  return AsStore(SqliteStore::OpenReadOnly(SqlitePath(where)));
}

std::unique_ptr<StoreMaintenance> OpenStoreMaintenance(const StoreLocation& where) {
  if (IsPostgres(where)) return std::make_unique<PostgresMaintenance>(Postgres(where));
  return std::make_unique<SqliteMaintenance>(SqlitePath(where));
}

}  // namespace gleaner::server
