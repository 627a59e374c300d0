// Scheduler: the one owner of the grid's live state (jobs, task queues,
// attempts and their leases, hosts, tokens) and the rules that move it. A
// facade over the concepts it holds: HostTable, AttemptTable, JobQueue,
// ReplicaValidation, TokenBook and PolicyBook, with placement done by a
// PlacementStack of small stages (placement/).
//
// Pure logic: no sockets, no SQL, no clock. Every call takes `now` (Unix ms)
// and appends the durable records it changed to `out`; the caller commits
// `out` before acknowledging anything. Not thread-safe: one owner (the
// server's scheduler strand) calls it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/types.h"
#include "common/status.h"
#include "server/auth/token_book.h"
#include "server/policy/policy_book.h"
#include "server/scheduler/attempt_table.h"
#include "server/scheduler/host_table.h"
#include "server/scheduler/job.h"
#include "server/scheduler/job_queue.h"
#include "server/scheduler/placement/stack.h"
#include "server/scheduler/replica_validation.h"
#include "server/store/records.h"

namespace gleaner::server {

struct SchedulerConfig {
  int64_t lease_ms = 30'000;  // an attempt is lost when its agent is silent this long
  int64_t poll_ms = 1'000;    // how often an idle agent asks for work
  int64_t retry_backoff_ms = 1'000;  // a failed task waits this long before its retry, doubling each time
  int64_t max_backoff_ms = 60'000;
  int64_t poison_hosts = 3;      // a task that failed on this many distinct hosts is at fault itself
  int64_t quarantine_after = 5;  // a host that failed this many distinct tasks in a row gets no work
  // Adaptive replication (docs/validation.md): a host with this many agreeing
  // replicated results and no disagreeing one is proven, and its single result
  // stands, except on about one task in `spot_check_one_in`.
  int64_t proven_after = 10;
  int64_t spot_check_one_in = 10;
  // A host whose results disagreed with accepted quorums at least this many
  // times, and more often than they agreed, gets no work until released.
  int64_t quarantine_disagreements = 3;
  // Names of the validator programs this server runs (`--validator NAME=PATH`).
  std::set<std::string> validators;
};

// Who is calling: a token's role, or an enrolled host.
struct Principal {
  api::Role role = api::Role::kViewer;
  std::string name;
  int64_t host_id = 0;  // set for enrolled agents
  bool allow_network = false;  // a submitter token granted network (auth/network_grant.h)
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerConfig config)
      : config_(config), validation_({config.proven_after, config.quarantine_disagreements}) {}

  // Rebuilds the live state from the store. Attempts in flight get a fresh
  // lease, so agents have time to report after a server restart.
  void Restore(const Snapshot& snapshot, int64_t now);

  // --- credentials --------------------------------------------------------
  // Who holds the secret with this hash: nullopt when nobody does; a token or
  // host that may no longer be used is kUnauthenticated saying why.
  Result<std::optional<Principal>> Authenticate(const std::string& secret_hash, int64_t now) const;
  // Tokens are read through this view and changed only by the calls below,
  // which append what they change to `out`.
  const TokenBook& tokens() const { return tokens_; }
  Result<api::TokenView> CreateToken(const std::string& secret_hash, const api::TokenCreateRequest& request,
                                     const std::string& created_by, int64_t now, Batch& out) {
    return tokens_.Create(secret_hash, request, created_by, now, out);
  }
  Result<api::TokenView> RevokeToken(const std::string& id_or_name, int64_t now, Batch& out) {
    return tokens_.Revoke(id_or_name, now, out);
  }
  // Checks the join token `secret_hash` (again: two enrolments racing for its
  // last use cannot both have it) and counts one enrolment made with it.
  Status UseJoinToken(const std::string& secret_hash, int64_t now, Batch& out);
  // Refuses the host's credential from now on and requeues its attempts.
  Result<api::HostView> RevokeHost(int64_t host_id, int64_t now, Batch& out);
  // Whether the host may download the blob: an input, or the checkpoint, of a
  // task it runs now. Agents read nothing else.
  bool HostMayRead(int64_t host_id, const std::string& sha256) const;
  // Whether the blob is a file of the job: one of its inputs, or (with
  // `index`) that task's stdout, stderr, an output or its checkpoint.
  // Submitters read blobs only this way.
  bool JobHoldsBlob(int64_t job_id, std::optional<int64_t> index, const std::string& sha256) const;

  // --- submitters ---------------------------------------------------------
  Result<int64_t> Submit(const api::JobSpec& spec, const std::string& owner, int64_t now, Batch& out);
  // "" when an enrolled host could run the job's tasks some day (it meets the
  // requirements and is big enough); else why none can, in words.
  std::string NoHostCanRun(int64_t job_id) const;
  // Queued tasks are cancelled at once; running attempts are told to stop at
  // their agent's next report.
  Result<api::JobView> Cancel(int64_t job_id, int64_t now, Batch& out);
  api::JobList ListJobs() const;
  Result<api::JobView> GetJob(int64_t job_id) const;
  Result<api::TaskList> ListTasks(int64_t job_id) const;
  api::HostList ListHosts(int64_t now) const;

  // --- agents -------------------------------------------------------------
  int64_t Enroll(const api::EnrollRequest& request, const std::string& credential_hash, int64_t now, Batch& out);
  // One report: completions (each accepted once, however often it is sent),
  // lease renewals for `running`, and new work for `free_slots`.
  Result<api::SyncResponse> Sync(int64_t host_id, const api::SyncRequest& request, int64_t now, Batch& out);
  // Attempts whose lease ran out are lost; their tasks are retried or failed.
  void ExpireLeases(int64_t now, Batch& out);
  // The periodic work: expired leases, retries whose backoff is over, job
  // deadlines. Called about once a second.
  void Tick(int64_t now, Batch& out);
  // Lets a quarantined host take work again.
  Status ReleaseHost(int64_t host_id, int64_t now, Batch& out);

  // --- owner policy (docs/policy.md) ---------------------------------------
  // The policy `host` is under; with `host` empty, the one for all hosts.
  Result<api::PolicyView> GetPolicy(const std::string& host) const;
  // Refuses an invalid or self-defeating policy, or an unknown host, saying why.
  Status SetPolicy(const std::string& host, const api::Policy& policy, Batch& out);

  // --- fuzzy result comparison (docs/validation.md) -----------------------
  // Up to `max` comparisons nobody is working on; each is marked as taken
  // until its answer comes back. One per task at a time, oldest result first.
  std::vector<ComparisonRequest> TakeComparisons(size_t max);
  // The answer for the task's result from `attempt_id`: it agrees with the
  // group whose hash is `agrees_with`, or, with "", with none (`difference`
  // says how it differs from the first). An answer for a task that has ended
  // meanwhile changes nothing.
  void RecordComparison(int64_t job_id, int64_t index, int64_t attempt_id, const std::string& agrees_with,
                        const std::string& difference, int64_t now, Batch& out);

  size_t live_attempts() const { return attempts_.live(); }
  // For metrics and the console's charts: totals without copying any view.
  api::TaskCounts TaskTotals() const;
  int64_t attempts_started() const { return attempts_.started(); }

 private:
  Job* FindJob(int64_t id);
  const Job* FindJob(int64_t id) const;
  api::HostView ViewOfHost(const Host& h, int64_t now) const;
  api::JobView ViewOf(const Job& job) const;
  api::TaskView ViewOf(const Job& job, int64_t index) const;

  void PersistTask(const Job& job, int64_t index, Batch& out) const;
  void MaybeFinishJob(Job& job, int64_t now, Batch& out);
  // Lists the job among the runnable ones while it has queued tasks.
  void UpdateRunnable(const Job& job);

  // Removes a live attempt, frees its slots and records how it ended.
  AttemptRecord EndAttempt(int64_t attempt_id, api::AttemptState state, const std::string& reason, int64_t now,
                           Batch& out);
  // Requeues the task (after `delay_ms`) or, when its retries are used up,
  // fails it with the outcome's reason.
  void RetryOrFail(Job& job, int64_t index, TaskOutcome outcome, int64_t delay_ms, int64_t now, Batch& out);
  // Puts the task back in line: at once, or after `delay_ms` (retry backoff).
  void QueueAgain(Job& job, int64_t index, int64_t delay_ms, int64_t now);
  void FailAttempt(Host& host, Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out);
  void FailTask(Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out);
  // Ends every unfinished task of the job in `state` (cancelled or failed).
  void EndUnfinishedTasks(Job& job, api::TaskState state, const std::string& reason, int64_t now, Batch& out);
  void ReleaseDelayed(int64_t now);
  void EnforceDeadlines(int64_t now, Batch& out);
  void LoseAttempt(int64_t attempt_id, const std::string& reason, int64_t now, Batch& out);
  void AcceptCompletion(Host& host, const api::Completion& completion, int64_t now, Batch& out);
  // The late result of an attempt lost to a silent host: a success still
  // counts when nobody else has finished the task yet.
  void AcceptLateResult(Host& host, AttemptRecord record, const api::Completion& completion, int64_t now, Batch& out);
  // Keeps `checkpoint` as the task's latest when `attempt_id` is the task's
  // live attempt on `host`; a stale attempt's or a replayed one changes nothing.
  void RecordCheckpoint(const Host& host, int64_t attempt_id, const api::FileRef& checkpoint, Batch& out);
  void AcceptResult(Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out);

  // --- placement (placement/stack.h) ---
  class AskingFleet;
  // Fills up to `free_slots` of the host with tasks, job by job as the stack selects them.
  void Assign(Host& host, int64_t free_slots, int64_t now, api::SyncResponse& response, Batch& out);
  // The next task of `job` that `host` may run now, taken off the queue.
  std::optional<int64_t> TakeTaskFor(Job& job, const Host& host);
  // Starts an attempt of the task on the host and tells its agent.
  void StartAttempt(Host& host, Job& job, int64_t index, int64_t now, api::SyncResponse& response, Batch& out);
  // The hosts that run or ran a replica of the task that produced a result.
  std::vector<int64_t> ReplicaHosts(const Task& t) const;

  // --- result validation (replica_validation.h) ---
  // After a replica's result, failure or loss: accepts the result a quorum
  // agrees on, asks for more replicas, or fails the task past the bound.
  void AdvanceValidation(Job& job, int64_t index, int64_t delay_ms, int64_t now, Batch& out);
  void AcceptReplicated(Job& job, int64_t index, const ReplicaResult& winner, const std::string& verdict,
                        bool count_reliability, int64_t now, Batch& out);
  // Takes a replicated task off the queue (requeued or delayed).
  void DropFromQueue(Job& job, int64_t index);

  const SchedulerConfig config_;
  const PlacementStack placement_;

  std::map<int64_t, Job> jobs_;
  int64_t next_job_id_ = 1;
  JobQueue queue_;
  AttemptTable attempts_;
  HostTable hosts_;
  ReplicaValidation validation_;
  TokenBook tokens_;
  PolicyBook policies_;
};

}  // namespace gleaner::server
