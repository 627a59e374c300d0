// Backup and restore of a server's state: the database as one consistent
// snapshot (taken online, while the server commits) plus every blob that
// snapshot refers to. A backup directory is complete when BACKUP.json is
// in it; restore refuses anything else. Thread-safe: files only.
#pragma once

#include <set>
#include <string>

#include "api/types.h"
#include "common/status.h"
#include "server/blobs/blob_store.h"
#include "server/store/records.h"

namespace gleaner::server {

// Every blob a snapshot refers to: job inputs, task outputs and captures.
std::set<std::string> ReferencedBlobs(const Snapshot& snapshot);

// Writes `to`/gleaner.db, `to`/blobs/… and, last, `to`/BACKUP.json. `to` must
// be absent or empty.
Result<api::BackupResponse> TakeBackup(const std::string& db_path, const BlobStore& blobs, const std::string& to);

// Makes `data_dir` (absent or empty) a data directory holding the backup in
// `from`, every blob re-verified by its hash, and checks the result.
Result<api::BackupResponse> RestoreBackup(const std::string& from, const std::string& data_dir);

}  // namespace gleaner::server
