#include "server/scheduler/host_table.h"

namespace gleaner::server {

Error HostNotEnrolled(int64_t host_id) {
  return NotFound("host " + std::to_string(host_id) + " is not enrolled; `gleaner hosts` lists them");
}

void HostTable::Restore(const std::vector<HostRecord>& records) {
  for (const auto& h : records) {
    hosts_[h.id].record = h;
    by_credential_[h.credential_hash] = h.id;
    next_id_ = std::max(next_id_, h.id + 1);
  }
}

Host& HostTable::Enroll(const api::EnrollRequest& request, const std::string& credential_hash, int64_t now,
                        Batch& out) {
  int64_t id = next_id_++;
  Host& host = hosts_[id];
  host.record = HostRecord{id, request.facts, std::max<int64_t>(request.slots, 1), credential_hash, now};
  host.last_seen = now;
  by_credential_[credential_hash] = id;
  out.hosts.push_back(host.record);
  return host;
}

Host* HostTable::Find(int64_t id) {
  auto it = hosts_.find(id);
  return it == hosts_.end() ? nullptr : &it->second;
}

const Host* HostTable::Find(int64_t id) const {
  auto it = hosts_.find(id);
  return it == hosts_.end() ? nullptr : &it->second;
}

const Host* HostTable::FindByCredential(const std::string& credential_hash) const {
  auto it = by_credential_.find(credential_hash);
  return it == by_credential_.end() ? nullptr : &hosts_.at(it->second);
}

std::string HostTable::Name(int64_t id) const {
  const Host* host = Find(id);
  return host ? host->record.facts.hostname : "";
}

bool HostTable::HasNamed(const std::string& name) const {
  return std::any_of(hosts_.begin(), hosts_.end(), [&](const auto& kv) { return kv.second.record.facts.hostname == name; });
}

void HostTable::NoteFailure(Host& host, int64_t job_id, int64_t index, const std::string& reason,
                            int64_t quarantine_after, Batch& out) {
  host.failure_streak.insert({job_id, index});
  if (host.record.quarantined || static_cast<int64_t>(host.failure_streak.size()) < quarantine_after) return;
  host.record.quarantined = true;
  host.record.quarantine_reason = "failed " + std::to_string(host.failure_streak.size()) +
                                  " different tasks in a row (last: " + reason + ")";
  out.hosts.push_back(host.record);
}

Status HostTable::Release(int64_t host_id, Batch& out) {
  Host* host = Find(host_id);
  if (!host) return HostNotEnrolled(host_id);
  host->failure_streak.clear();
  if (!host->record.quarantined) return OkStatus();
  host->record.quarantined = false;
  host->record.quarantine_reason.clear();
  out.hosts.push_back(host->record);
  return OkStatus();
}

}  // namespace gleaner::server
