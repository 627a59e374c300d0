// Scheduler: the one owner of the grid's live state (jobs, task queues,
// attempts and their leases, hosts, tokens) and the rules that move it.
//
// Pure logic: no sockets, no SQL, no clock. Every call takes `now` (Unix ms)
// and appends the durable records it changed to `out`; the caller commits
// `out` before acknowledging anything. Not thread-safe: one owner (the
// server's scheduler strand) calls it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "api/types.h"
#include "common/status.h"
#include "server/auth/token_book.h"
#include "server/policy/policy_book.h"
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

// A replicated result of a job with a tolerance, to be compared with the
// first result of each group of agreeing results (docs/validation.md).
// Comparing reads output files, so the server does it off the scheduler's
// strand and reports the answer with RecordComparison.
struct ComparisonRequest {
  int64_t job_id = 0;
  int64_t index = 0;
  ReplicaResult candidate;
  std::vector<ReplicaResult> groups;  // the first result of each group, oldest group first
  double tolerance = 0;
  double abs_tolerance = 0;
  std::string validator;  // or the validator program that decides
};

// Who is calling: a token's role, or an enrolled host.
struct Principal {
  api::Role role = api::Role::kViewer;
  std::string name;
  int64_t host_id = 0;  // set for enrolled agents
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerConfig config) : config_(config) {}

  // Rebuilds the live state from the store. Attempts in flight get a fresh
  // lease, so agents have time to report after a server restart.
  void Restore(const Snapshot& snapshot, int64_t now);

  // --- credentials --------------------------------------------------------
  // Who holds the secret with this hash: nullopt when nobody does; a token or
  // host that may no longer be used is kUnauthenticated saying why.
  Result<std::optional<Principal>> Authenticate(const std::string& secret_hash, int64_t now) const;
  TokenBook& tokens() { return tokens_; }
  const TokenBook& tokens() const { return tokens_; }
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

  size_t live_attempts() const { return attempts_.size(); }
  // For metrics and the console's charts: totals without copying any view.
  api::TaskCounts TaskTotals() const;
  int64_t attempts_started() const { return next_attempt_id_ - 1; }

 private:
  struct Task {
    api::TaskState state = api::TaskState::kQueued;
    int32_t attempts = 0;
    // Its live attempts: at most one, but for a replicated task one per replica running.
    std::vector<int64_t> live;
    int64_t host_id = 0;
    std::unique_ptr<TaskOutcome> outcome;  // absent until an attempt ends
    // Latest of its live attempts; the next attempt starts from it. Behind a
    // pointer, as few tasks have one and a FileRef is 80 bytes.
    std::unique_ptr<api::FileRef> checkpoint;
    // Replicated tasks only (docs/validation.md), made with their first
    // result or trusted replica; null otherwise, so a task of an ordinary job
    // costs no more memory.
    std::unique_ptr<Validation> validation;
    bool waiting = false;   // replicated tasks: in `requeued` or `delayed_` for another replica
    const Validation& Votes() const {
      static const Validation kNone;
      return validation ? *validation : kNone;
    }
    Validation& MutableVotes() {
      if (!validation) validation = std::make_unique<Validation>();
      return *validation;
    }
    void Distrust(int64_t host_id) {
      if (validation && validation->trusted_host == host_id) validation->trusted_host = 0;
    }
  };
  struct Job {
    JobRecord record;
    std::vector<Task> tasks;
    int64_t next_fresh = 0;         // tasks from here on have never been dispatched
    std::deque<int64_t> requeued;   // tasks waiting for another attempt
    api::TaskCounts counts;
    bool HasQueued() const;
  };
  struct Attempt {
    AttemptRecord record;
    int64_t cpus = 1;
    int64_t lease_deadline = 0;
  };
  struct Host {
    HostRecord record;
    int64_t last_seen = 0;
    int64_t slots_used = 0;
    std::set<int64_t> attempts;
    // Distinct tasks (job, index) failed since this host's last success.
    std::set<std::pair<int64_t, int64_t>> failure_streak;
    std::optional<api::HostActivity> activity;  // as its agent last reported; memory only
    int64_t memory_offered = 0;  // the agent's memory cap (owner policy) as last reported; 0 = none
    // What tasks may ask for here: the host's memory, or less under a cap.
    int64_t MemoryForTasks() const {
      return memory_offered > 0 ? std::min(memory_offered, record.facts.memory) : record.facts.memory;
    }
  };

  Job* FindJob(int64_t id);
  const Job* FindJob(int64_t id) const;
  api::HostView ViewOfHost(const Host& h, int64_t now) const;
  api::JobView ViewOf(const Job& job) const;
  api::TaskView ViewOf(const Job& job, int64_t index) const;
  std::string HostName(int64_t host_id) const;
  bool HasHostNamed(const std::string& name) const;

  void SetTaskState(Job& job, int64_t index, api::TaskState state);
  void PersistTask(const Job& job, int64_t index, Batch& out) const;
  void MaybeFinishJob(Job& job, int64_t now, Batch& out);
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
  void NoteHostFailure(Host& host, int64_t job_id, int64_t index, const std::string& reason, Batch& out);
  // Ends every unfinished task of the job in `state` (cancelled or failed).
  void EndUnfinishedTasks(Job& job, api::TaskState state, const std::string& reason, int64_t now, Batch& out);
  void ReleaseDelayed(int64_t now);
  void EnforceDeadlines(int64_t now, Batch& out);
  void LoseAttempt(int64_t attempt_id, const std::string& reason, int64_t now, Batch& out);
  void AcceptCompletion(Host& host, const api::Completion& completion, int64_t now, Batch& out);
  // Keeps `checkpoint` as the task's latest when `attempt_id` is the task's
  // live attempt on `host`; a stale attempt's or a replayed one changes nothing.
  void RecordCheckpoint(const Host& host, int64_t attempt_id, const api::FileRef& checkpoint, Batch& out);
  void AcceptResult(Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out);
  void Assign(Host& host, int64_t free_slots, int64_t now, api::SyncResponse& response, Batch& out);
  // The next task of `job` that `host` may run now, taken off the queue.
  std::optional<int64_t> TakeTaskFor(Job& job, const Host& host);

  // --- result validation (docs/validation.md) ---
  static bool Replicated(const Job& job) { return job.record.spec.replicas > 1; }
  // True when `host` runs or ran a replica of the task that produced a result.
  bool HoldsReplica(const Task& t, int64_t host_id) const;
  int64_t WantedReplicas(const Job& job, const Task& t) const;
  // After a replica's result, failure or loss: accepts the result a quorum
  // agrees on, asks for more replicas, or fails the task past the bound.
  void AdvanceValidation(Job& job, int64_t index, int64_t delay_ms, int64_t now, Batch& out);
  void AcceptReplicated(Job& job, int64_t index, const ReplicaResult& winner, const std::string& verdict,
                        bool count_reliability, int64_t now, Batch& out);
  // Takes a replicated task off the queue (requeued or delayed).
  void DropFromQueue(Job& job, int64_t index);
  std::string ValidationText(const Job& job, const Task& t) const;
  // Adds a successful replica's result: it votes at once when its hash is
  // known (or it is the first), else it waits for a comparison.
  void AddReplicaResult(Job& job, int64_t index, ReplicaResult result, int64_t now, Batch& out);

  const SchedulerConfig config_;

  std::map<int64_t, Job> jobs_;
  // Jobs with queued tasks, highest priority first, then oldest first.
  std::set<std::pair<int64_t, int64_t>> runnable_;
  std::unordered_map<int64_t, Attempt> attempts_;
  // Attempts lost to a silent host whose task may still take their late result.
  std::unordered_map<int64_t, AttemptRecord> lost_;
  // Failed tasks waiting out their backoff: (due, job, index).
  std::set<std::tuple<int64_t, int64_t, int64_t>> delayed_;
  // Tasks (job, index) with a result waiting to be compared, and those whose
  // comparison is being made now. Memory only: rebuilt from the results.
  std::set<std::pair<int64_t, int64_t>> to_compare_;
  std::set<std::pair<int64_t, int64_t>> comparing_;
  // Unfinished jobs with a deadline: (deadline, job).
  std::set<std::pair<int64_t, int64_t>> deadlines_;
  std::map<int64_t, Host> hosts_;
  std::unordered_map<std::string, int64_t> host_by_credential_;
  TokenBook tokens_;
  PolicyBook policies_;
  int64_t next_job_id_ = 1;
  int64_t next_attempt_id_ = 1;
  int64_t next_host_id_ = 1;
};

}  // namespace gleaner::server
