// HostTable: the enrolled hosts, by id and by credential, with what each runs
// now, the work it may take and its streak of failures. Pure state, no I/O;
// owned by the scheduler, so not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/types.h"
#include "common/status.h"
#include "server/store/records.h"

namespace gleaner::server {

struct Host {
  HostRecord record;
  int64_t last_seen = 0;
  int64_t slots_used = 0;
  std::set<int64_t> attempts;
  // Distinct tasks (job, index) failed since this host's last success.
  std::set<std::pair<int64_t, int64_t>> failure_streak;
  std::optional<api::HostActivity> activity;  // as its agent last reported; memory only
  int64_t memory_offered = 0;  // the agent's memory cap (owner policy) as last reported; 0 = none
  int64_t asking_slots = 0;    // slots it asked to fill at its last report and did not get; memory only
  // What tasks may ask for here: the host's memory, or less under a cap.
  int64_t MemoryForTasks() const {
    return memory_offered > 0 ? std::min(memory_offered, record.facts.memory) : record.facts.memory;
  }
};

class HostTable {
 public:
  void Restore(const std::vector<HostRecord>& records);
  // Enrols a new host under `credential_hash`; appends its record to `out`.
  Host& Enroll(const api::EnrollRequest& request, const std::string& credential_hash, int64_t now, Batch& out);

  Host* Find(int64_t id);
  const Host* Find(int64_t id) const;
  // The host that holds the credential with this hash, enrolled or revoked.
  const Host* FindByCredential(const std::string& credential_hash) const;
  // Its enrolled name; "" for an unknown host.
  std::string Name(int64_t id) const;
  bool HasNamed(const std::string& name) const;
  const std::map<int64_t, Host>& all() const { return hosts_; }

  // Counts a distinct task failed on `host`; past `quarantine_after` in a row
  // the host is quarantined, saying why.
  void NoteFailure(Host& host, int64_t job_id, int64_t index, const std::string& reason, int64_t quarantine_after,
                   Batch& out);
  // Lets a quarantined host take work again; kNotFound for an unknown one.
  Status Release(int64_t host_id, Batch& out);

 private:
  std::map<int64_t, Host> hosts_;
  std::unordered_map<std::string, int64_t> by_credential_;
  int64_t next_id_ = 1;
};

// The message for a host id nobody enrolled.
Error HostNotEnrolled(int64_t host_id);

}  // namespace gleaner::server
