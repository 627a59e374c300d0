#include "server/store/store_location.h"

#include "server/store/sqlite_maintenance.h"
#include "server/store/sqlite_store.h"

namespace gleaner::server {

namespace {

std::string SqlitePath(const StoreLocation& where) { return where.data_dir + "/gleaner.db"; }

}  // namespace

std::string StoreLocation::Describe() const { return SqlitePath(*this); }

Result<std::unique_ptr<Store>> OpenStore(const StoreLocation& where) {
  auto store = SqliteStore::Open(SqlitePath(where));
  if (!store.ok()) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

Result<std::unique_ptr<Store>> OpenStoreReader(const StoreLocation& where) {
  auto store = SqliteStore::OpenReadOnly(SqlitePath(where));
  if (!store.ok()) return store.error();
  return std::unique_ptr<Store>(std::move(*store));
}

std::unique_ptr<StoreMaintenance> OpenStoreMaintenance(const StoreLocation& where) {
  return std::make_unique<SqliteMaintenance>(SqlitePath(where));
}

}  // namespace gleaner::server
