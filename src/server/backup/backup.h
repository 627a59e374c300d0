// Backup and restore of a server's state: the store as one consistent
// snapshot (taken online, while the server commits, through StoreMaintenance)
// plus every blob that snapshot refers to and the server's CA. A backup
// directory is complete when BACKUP.json is in it; restore refuses anything
// else. Thread-safe.
#pragma once

#include <set>
#include <string>

#include "api/types.h"
#include "common/status.h"
#include "server/blobs/blob_store.h"
#include "server/store/records.h"
#include "server/store/store_location.h"
#include "server/store/store_maintenance.h"

namespace gleaner::server {

// Every blob a snapshot refers to: job inputs, task outputs and captures.
std::set<std::string> ReferencedBlobs(const Snapshot& snapshot);

// What a backup reads: a running server's store, blobs and data directory.
struct BackupSource {
  StoreMaintenance& store;
  const BlobStore& blobs;
  std::string data_dir;  // for the server's CA
};

// Writes the store's copy, `to`/blobs/… and, last, `to`/BACKUP.json. `to`
// must be absent or empty.
Result<api::BackupResponse> TakeBackup(const BackupSource& from, const std::string& to);

// Makes a new server at `into` (its data directory absent or empty, its
// store not there yet) holding the backup in `from`, every blob re-verified
// by its hash, and checks the result.
Result<api::BackupResponse> RestoreBackup(const std::string& from, const StoreLocation& into);

}  // namespace gleaner::server
