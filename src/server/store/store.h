// Store: the durable home of the server's state, behind a domain interface
// (typed records, no SQL above it). SqliteStore is the embedded default;
// OpenStore() (store_location.h) picks the kind, and StoreMaintenance beside
// it backs up, restores and checks. Every kind passes one conformance suite
// (tests/unit/server/store_conformance.h).
//
// Apply() returns only once the batch is durable (fsynced). A Store is used by
// one thread at a time (the committer at run time, the loader at start).
#pragma once

#include "common/status.h"
#include "server/store/records.h"

namespace gleaner::server {

class Store {
 public:
  virtual ~Store() = default;
  // Applies every record of `batch` in one transaction; durable on return.
  virtual Status Apply(const Batch& batch) = 0;
  // Reads back everything, as the scheduler needs it to rebuild.
  virtual Result<Snapshot> LoadAll() = 0;
  // Usage of attempts that ended at or after `since` (Unix ms).
  virtual Result<std::vector<UsageRow>> Usage(int64_t since) = 0;
  // Audit events matching `query`, newest first.
  virtual Result<std::vector<api::AuditEvent>> Audit(const AuditQuery& query) = 0;
};

}  // namespace gleaner::server
