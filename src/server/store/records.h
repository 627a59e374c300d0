// The durable records of the server's state: what the Store persists and
// what the scheduler rebuilds itself from. Plain values; no behaviour.
//
// A Batch is one group of upserts applied atomically; later records in a
// batch win over earlier ones with the same key.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"

namespace gleaner::server {

struct JobRecord {
  int64_t id = 0;
  api::JobSpec spec;
  std::string owner;
  int64_t created_at = 0;
  bool cancelled = false;
  int64_t finished_at = 0;
};

// The outcome of a task's latest attempt (or of its accepted result).
struct TaskOutcome {
  int64_t attempt_id = 0;
  std::optional<int64_t> exit_code;
  std::optional<int64_t> signal;
  std::string reason;
  std::vector<api::FileRef> outputs;
  std::optional<api::FileRef> stdout_ref;
  std::optional<api::FileRef> stderr_ref;
  int64_t wall_ms = 0;
  int64_t cpu_ms = 0;
  std::vector<int64_t> failed_hosts;  // distinct hosts the task has failed on so far
  std::vector<api::AttemptEvent> events;  // suspensions and vacates of all attempts so far
  int64_t vacated = 0;                    // attempts vacated for the owner; they use up no retry
};

// One replica's successful result of a replicated task (docs/validation.md).
struct ReplicaResult {
  int64_t attempt_id = 0;
  int64_t host_id = 0;
  // Equal hashes are agreeing results: ResultHash(outcome), or, for a job with
  // a tolerance, the hash of the first earlier result it agreed with.
  std::string hash;
  TaskOutcome outcome;  // what is accepted if this result wins the quorum
  // With a tolerance, a result whose hash matches no earlier one waits for the
  // server to compare its outputs (docs/validation.md); until then it has no vote.
  bool compared = true;
  std::string difference;  // when it agreed with no earlier result: how it differed from the first
};

// Where a replicated task's validation stands; empty for other tasks.
struct Validation {
  std::vector<ReplicaResult> results;  // successful replicas so far, oldest first
  int64_t trusted_host = 0;  // adaptive replication: the proven host whose single result will do
  std::string verdict;       // once decided: how the result was accepted, or why the task failed
  bool empty() const { return results.empty() && trusted_host == 0 && verdict.empty(); }
};

// Tasks are stored only once they leave their initial queued state: a job of
// a million tasks costs one row at submission.
struct TaskRecord {
  int64_t job_id = 0;
  int64_t index = 0;
  api::TaskState state = api::TaskState::kQueued;
  int64_t attempts = 0;
  int64_t host_id = 0;
  TaskOutcome outcome;
  std::optional<api::FileRef> checkpoint;  // the latest checkpoint of its live attempt; the next one resumes from it
  Validation validation;                   // replicated tasks only
};

struct AttemptRecord {
  int64_t id = 0;
  int64_t job_id = 0;
  int64_t index = 0;
  int64_t host_id = 0;
  api::AttemptState state = api::AttemptState::kAssigned;
  int64_t started_at = 0;
  int64_t ended_at = 0;
  std::string reason;
  int64_t cpu_ms = 0;   // as the agent measured it; 0 when the attempt never reported
  int64_t wall_ms = 0;
};

struct HostRecord {
  int64_t id = 0;
  api::HostFacts facts;
  int64_t slots = 0;
  std::string credential_hash;
  int64_t enrolled_at = 0;
  bool quarantined = false;
  std::string quarantine_reason;
  int64_t revoked_at = 0;  // 0: not revoked; else its credential is refused
  int64_t agreements = 0;     // replicated results that agreed with the accepted quorum
  int64_t disagreements = 0;  // ... and that did not (docs/validation.md)
  std::map<std::string, std::string> labels;  // set by admins (`gleaner host label`), for requirements
};

struct TokenRecord {
  std::string hash;  // SHA-256 of the secret; the secret itself is never stored
  api::Role role = api::Role::kViewer;
  std::string name;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // 0: never
  int64_t max_uses = 0;    // 0: unlimited
  int64_t uses = 0;        // enrolments made with it
  int64_t revoked_at = 0;  // 0: not revoked
  std::string created_by;
  bool allow_network = false;  // a submitter token whose jobs may ask for network (docs/security.md)
};

// An owner policy set centrally: scope "*" for all hosts, "host:NAME" for one.
struct PolicyRecord {
  std::string scope;
  api::Policy policy;
};

struct Batch {
  std::vector<JobRecord> jobs;
  std::vector<TaskRecord> tasks;
  std::vector<AttemptRecord> attempts;
  std::vector<HostRecord> hosts;
  std::vector<TokenRecord> tokens;
  std::vector<PolicyRecord> policies;
  std::vector<api::AuditEvent> audit;  // appended, never replaced; durable with the change they describe

  bool empty() const {
    return jobs.empty() && tasks.empty() && attempts.empty() && hosts.empty() && tokens.empty() && policies.empty() &&
           audit.empty();
  }
  size_t size() const {
    return jobs.size() + tasks.size() + attempts.size() + hosts.size() + tokens.size() + policies.size() +
           audit.size();
  }
  void Append(Batch&& other);
};

// Harvested work of finished attempts (succeeded or failed), summed per
// host, job owner and UTC day: the raw material of `gleaner report`.
struct UsageRow {
  std::string host;
  std::string user;
  int64_t day = 0;  // Unix ms of the UTC midnight the attempts ended after
  int64_t cpu_ms = 0;
  int64_t wall_ms = 0;
  int64_t succeeded = 0;
  int64_t failed = 0;
};

// Which audit events to read back: `who` and `action` ("" = any; an action
// also matches its sub-actions, "token" matches "token.create").
struct AuditQuery {
  int64_t since = 0;
  std::string who;
  std::string action;
  int64_t limit = 1000;
};

// What the scheduler rebuilds itself from at start.
struct Snapshot {
  std::vector<JobRecord> jobs;
  std::vector<TaskRecord> tasks;
  std::vector<AttemptRecord> live_attempts;  // assigned or running; the rest is history
  std::vector<HostRecord> hosts;
  std::vector<TokenRecord> tokens;
  std::vector<PolicyRecord> policies;
  int64_t max_attempt_id = 0;  // so attempt ids are never reused after a restart
};

}  // namespace gleaner::server
