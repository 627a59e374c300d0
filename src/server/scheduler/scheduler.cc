#include "server/scheduler/scheduler.h"

#include <algorithm>
#include <csignal>
#include <cstring>

#include "api/job_spec.h"
#include "common/clock.h"
#include "common/sha256.h"
#include "common/units.h"
#include "server/scheduler/quorum.h"

namespace gleaner::server {

using api::AttemptState;
using api::TaskState;

namespace {

std::optional<api::FileRef> CopyOf(const std::unique_ptr<api::FileRef>& ref) {
  return ref ? std::optional<api::FileRef>(*ref) : std::nullopt;
}

constexpr int64_t kLateResultHorizonMs = 24 * 3600 * 1000;

int64_t& CountOf(api::TaskCounts& c, TaskState s) {
  switch (s) {
    case TaskState::kQueued: return c.queued;
    case TaskState::kRunning: return c.running;
    case TaskState::kDone: return c.done;
    case TaskState::kFailed: return c.failed;
    case TaskState::kCancelled: return c.cancelled;
  }
  return c.queued;
}

// Why an attempt did not succeed, in words, when the agent gave no reason.
std::string DescribeFailure(const api::Completion& c) {
  if (!c.reason.empty()) return c.reason;
  if (c.signal) {
    const char* name = sigabbrev_np(static_cast<int>(*c.signal));
    return "killed by signal " + std::to_string(*c.signal) + (name ? std::string(" (SIG") + name + ")" : "");
  }
  if (c.exit_code) return "exit code " + std::to_string(*c.exit_code);
  return "failed";
}

TaskOutcome OutcomeOf(const api::Completion& c) {
  TaskOutcome o;
  o.attempt_id = c.attempt_id;
  o.exit_code = c.exit_code;
  o.signal = c.signal;
  o.reason = c.succeeded ? "" : DescribeFailure(c);
  o.outputs = c.outputs;
  o.stdout_ref = c.stdout_ref;
  o.stderr_ref = c.stderr_ref;
  o.wall_ms = c.wall_ms;
  o.cpu_ms = c.cpu_ms;
  o.events = c.events;
  return o;
}

bool Contains(const std::vector<int64_t>& v, int64_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }
void Remove(std::vector<int64_t>& v, int64_t x) { v.erase(std::remove(v.begin(), v.end(), x), v.end()); }

// A task's suspensions and vacates span its attempts: the new outcome keeps
// those of the ones before.
void KeepOwnerHistory(const std::unique_ptr<TaskOutcome>& previous, TaskOutcome& outcome) {
  if (!previous) return;
  outcome.events.insert(outcome.events.begin(), previous->events.begin(), previous->events.end());
  outcome.vacated += previous->vacated;
}

}  // namespace

bool Scheduler::Job::HasQueued() const {
  return !requeued.empty() || next_fresh < static_cast<int64_t>(tasks.size());
}

// --- restore ---------------------------------------------------------------

void Scheduler::Restore(const Snapshot& snap, int64_t now) {
  tokens_.Restore(snap.tokens);
  policies_.Restore(snap.policies);
  for (const auto& h : snap.hosts) {
    hosts_[h.id].record = h;
    host_by_credential_[h.credential_hash] = h.id;
    next_host_id_ = std::max(next_host_id_, h.id + 1);
  }
  for (const auto& r : snap.jobs) {
    Job& job = jobs_[r.id];
    job.record = r;
    job.tasks.resize(static_cast<size_t>(r.spec.count));
    next_job_id_ = std::max(next_job_id_, r.id + 1);
  }
  for (const auto& r : snap.tasks) {
    Job* job = FindJob(r.job_id);
    if (!job || r.index < 0 || r.index >= static_cast<int64_t>(job->tasks.size())) continue;
    Task& t = job->tasks[static_cast<size_t>(r.index)];
    t.state = r.state;
    t.attempts = static_cast<int32_t>(r.attempts);
    t.host_id = r.host_id;
    if (r.checkpoint) t.checkpoint = std::make_unique<api::FileRef>(*r.checkpoint);
    if (!r.validation.empty()) t.validation = std::make_unique<Validation>(r.validation);
    if (r.outcome.attempt_id != 0 || !r.outcome.reason.empty()) t.outcome = std::make_unique<TaskOutcome>(r.outcome);
    job->next_fresh = std::max(job->next_fresh, r.index + 1);
  }
  next_attempt_id_ = snap.max_attempt_id + 1;
  for (const auto& r : snap.live_attempts) {
    Job* job = FindJob(r.job_id);
    auto host = hosts_.find(r.host_id);
    if (!job || host == hosts_.end() || r.index >= static_cast<int64_t>(job->tasks.size())) continue;
    Task& t = job->tasks[static_cast<size_t>(r.index)];
    if (t.state != TaskState::kRunning) continue;
    t.live.push_back(r.id);
    attempts_[r.id] = Attempt{r, job->record.spec.cpus, now + config_.lease_ms};
    host->second.attempts.insert(r.id);
    host->second.slots_used += job->record.spec.cpus;
  }
  for (auto& [id, job] : jobs_) {
    for (int64_t i = 0; i < static_cast<int64_t>(job.tasks.size()); ++i) {
      Task& t = job.tasks[static_cast<size_t>(i)];
      bool dispatched_before = i < job.next_fresh;
      if (Replicated(job) && dispatched_before && !IsTerminal(t.state) && job.record.finished_at == 0) {
        // A replicated task waits for as many replicas as its quorum still
        // needs; a proven host whose replica is gone is trusted no more.
        if (t.live.empty() && t.validation) t.validation->trusted_host = 0;
        if (Uncompared(t.Votes().results) > 0) to_compare_.insert({id, i});
        t.state = t.live.empty() ? TaskState::kQueued : TaskState::kRunning;
        if (WantedReplicas(job, t) > 0) {
          job.requeued.push_back(i);
          t.waiting = true;
        }
      } else if ((t.state == TaskState::kRunning && t.live.empty()) ||
          (t.state == TaskState::kQueued && dispatched_before)) {
        t.state = TaskState::kQueued;
        job.requeued.push_back(i);
      }
      // A finished job ended its never-dispatched tasks in bulk, without rows.
      if (job.record.finished_at != 0 && t.state == TaskState::kQueued) {
        t.state = job.record.cancelled ? TaskState::kCancelled : TaskState::kFailed;
      }
      CountOf(job.counts, t.state)++;
    }
    if (job.record.finished_at != 0) {
      job.requeued.clear();
      job.next_fresh = static_cast<int64_t>(job.tasks.size());
    } else if (job.record.spec.deadline_ms > 0) {
      deadlines_.insert({job.record.created_at + job.record.spec.deadline_ms, id});
    }
    UpdateRunnable(job);
  }
}

// --- credentials -----------------------------------------------------------

Result<std::optional<Principal>> Scheduler::Authenticate(const std::string& secret_hash, int64_t now) const {
  auto token = tokens_.Check(secret_hash, now);
  if (!token.ok()) return token.error();
  if (*token) return std::optional<Principal>(Principal{(*token)->role, (*token)->name, 0});
  if (auto it = host_by_credential_.find(secret_hash); it != host_by_credential_.end()) {
    const HostRecord& host = hosts_.at(it->second).record;
    if (host.revoked_at != 0) {
      return Unauthenticated("host " + host.facts.hostname + " was revoked by an admin at " +
                             FormatUtc(host.revoked_at) +
                             "; to bring it back, enrol it again with a new join token and a fresh --work dir");
    }
    return std::optional<Principal>(Principal{api::Role::kAgent, HostName(it->second), it->second});
  }
  return std::optional<Principal>();
}

bool Scheduler::JobHoldsBlob(int64_t job_id, std::optional<int64_t> index, const std::string& sha256) const {
  const Job* job = FindJob(job_id);
  if (!job) return false;
  const auto& inputs = job->record.spec.inputs;
  if (std::any_of(inputs.begin(), inputs.end(), [&](const api::FileRef& f) { return f.sha256 == sha256; })) return true;
  if (!index || *index < 0 || *index >= static_cast<int64_t>(job->tasks.size())) return false;
  const Task& t = job->tasks[static_cast<size_t>(*index)];
  if (t.checkpoint && t.checkpoint->sha256 == sha256) return true;
  if (!t.outcome) return false;
  const TaskOutcome& o = *t.outcome;
  for (const auto* capture : {&o.stdout_ref, &o.stderr_ref}) {
    if (*capture && (*capture)->sha256 == sha256) return true;
  }
  return std::any_of(o.outputs.begin(), o.outputs.end(), [&](const api::FileRef& f) { return f.sha256 == sha256; });
}

bool Scheduler::HostMayRead(int64_t host_id, const std::string& sha256) const {
  auto hit = hosts_.find(host_id);
  if (hit == hosts_.end()) return false;
  for (int64_t id : hit->second.attempts) {
    auto a = attempts_.find(id);
    if (a == attempts_.end()) continue;
    const Job* job = FindJob(a->second.record.job_id);
    if (!job) continue;
    for (const auto& input : job->record.spec.inputs) {
      if (input.sha256 == sha256) return true;
    }
    const Task& task = job->tasks[static_cast<size_t>(a->second.record.index)];
    if (task.checkpoint && task.checkpoint->sha256 == sha256) return true;
  }
  return false;
}

Result<api::HostView> Scheduler::RevokeHost(int64_t host_id, int64_t now, Batch& out) {
  auto it = hosts_.find(host_id);
  if (it == hosts_.end()) return NotFound("host " + std::to_string(host_id) + " is not enrolled; `gleaner hosts` lists them");
  Host& host = it->second;
  if (host.record.revoked_at == 0) {
    host.record.revoked_at = now;
    out.hosts.push_back(host.record);
    std::vector<int64_t> held(host.attempts.begin(), host.attempts.end());
    for (int64_t id : held) LoseAttempt(id, "host " + host.record.facts.hostname + " was revoked", now, out);
  }
  return ViewOfHost(host, now);
}

// --- submitters ------------------------------------------------------------

Result<int64_t> Scheduler::Submit(const api::JobSpec& spec, const std::string& owner, int64_t now, Batch& out) {
  GLEANER_RETURN_IF_ERROR(api::ValidateJobSpec(spec));
  if (!spec.validator.empty() && !config_.validators.contains(spec.validator)) {
    std::string known;
    for (const auto& name : config_.validators) known += (known.empty() ? "" : ", ") + name;
    return InvalidArgument("this server has no validator named '" + spec.validator + "'; " +
                           (known.empty() ? std::string("it has none (an admin adds them with `gleaner server "
                                                        "--validator NAME=PATH`)")
                                          : "it has: " + known));
  }
  int64_t id = next_job_id_++;
  Job& job = jobs_[id];
  job.record = JobRecord{id, spec, owner, now, false, 0};
  job.tasks.resize(static_cast<size_t>(spec.count));
  job.counts.queued = spec.count;
  out.jobs.push_back(job.record);
  if (spec.deadline_ms > 0) deadlines_.insert({now + spec.deadline_ms, id});
  UpdateRunnable(job);
  return id;
}

Result<api::JobView> Scheduler::Cancel(int64_t job_id, int64_t now, Batch& out) {
  Job* job = FindJob(job_id);
  if (!job) return NotFound("job " + std::to_string(job_id) + " does not exist; `gleaner jobs` lists them");
  if (job->record.cancelled || job->record.finished_at != 0) return ViewOf(*job);
  job->record.cancelled = true;
  EndUnfinishedTasks(*job, TaskState::kCancelled, "job cancelled", now, out);
  return ViewOf(*job);
}

void Scheduler::EndUnfinishedTasks(Job& job, TaskState state, const std::string& reason, int64_t now, Batch& out) {
  for (int64_t i = 0; i < static_cast<int64_t>(job.tasks.size()); ++i) {
    Task& t = job.tasks[static_cast<size_t>(i)];
    if (IsTerminal(t.state)) continue;
    bool stored = i < job.next_fresh;
    // The agent hears "cancel" when it next reports this attempt as running.
    for (int64_t attempt : t.live) EndAttempt(attempt, AttemptState::kCancelled, reason, now, out);
    t.live.clear();
    t.waiting = false;
    SetTaskState(job, i, state);
    if (stored) {
      // Never-dispatched tasks need no row: they follow the finished job.
      if (!t.outcome) t.outcome = std::make_unique<TaskOutcome>();
      t.outcome->reason = reason;
      PersistTask(job, i, out);
    }
  }
  std::erase_if(delayed_, [&](const auto& d) { return std::get<1>(d) == job.record.id; });
  job.requeued.clear();
  job.next_fresh = static_cast<int64_t>(job.tasks.size());
  UpdateRunnable(job);
  MaybeFinishJob(job, now, out);
}

api::JobList Scheduler::ListJobs() const {
  api::JobList list;
  list.jobs.reserve(jobs_.size());
  for (const auto& [id, job] : jobs_) list.jobs.push_back(ViewOf(job));
  return list;
}

Result<api::JobView> Scheduler::GetJob(int64_t job_id) const {
  const Job* job = FindJob(job_id);
  if (!job) return NotFound("job " + std::to_string(job_id) + " does not exist; `gleaner jobs` lists them");
  return ViewOf(*job);
}

Result<api::TaskList> Scheduler::ListTasks(int64_t job_id) const {
  const Job* job = FindJob(job_id);
  if (!job) return NotFound("job " + std::to_string(job_id) + " does not exist; `gleaner jobs` lists them");
  api::TaskList list;
  list.tasks.reserve(job->tasks.size());
  for (int64_t i = 0; i < static_cast<int64_t>(job->tasks.size()); ++i) list.tasks.push_back(ViewOf(*job, i));
  return list;
}

api::TaskCounts Scheduler::TaskTotals() const {
  api::TaskCounts total;
  for (const auto& [id, job] : jobs_) {
    total.queued += job.counts.queued;
    total.running += job.counts.running;
    total.done += job.counts.done;
    total.failed += job.counts.failed;
    total.cancelled += job.counts.cancelled;
  }
  return total;
}

api::HostView Scheduler::ViewOfHost(const Host& h, int64_t now) const {
  api::HostView v;
  v.id = h.record.id;
  v.facts = h.record.facts;
  v.slots = h.record.slots;
  v.slots_used = h.slots_used;
  v.last_seen = h.last_seen;
  v.enrolled_at = h.record.enrolled_at;
  v.online = h.last_seen > 0 && now - h.last_seen < config_.lease_ms && h.record.revoked_at == 0;
  v.quarantined = h.record.quarantined;
  v.quarantine_reason = h.record.quarantine_reason;
  v.revoked_at = h.record.revoked_at;
  if (v.online) v.activity = h.activity;
  v.policy = policies_.For(h.record.facts.hostname);
  v.agreements = h.record.agreements;
  v.disagreements = h.record.disagreements;
  v.reliability = Reliability(h.record.agreements, h.record.disagreements);
  return v;
}

api::HostList Scheduler::ListHosts(int64_t now) const {
  api::HostList list;
  for (const auto& [id, h] : hosts_) list.hosts.push_back(ViewOfHost(h, now));
  return list;
}

// --- owner policy ----------------------------------------------------------

Result<api::PolicyView> Scheduler::GetPolicy(const std::string& host) const {
  if (!host.empty() && !HasHostNamed(host)) return NotFound("no host named '" + host + "'; `gleaner hosts` lists them");
  return policies_.For(host);
}

Status Scheduler::SetPolicy(const std::string& host, const api::Policy& policy, Batch& out) {
  if (!host.empty() && !HasHostNamed(host)) return NotFound("no host named '" + host + "'; `gleaner hosts` lists them");
  return policies_.Set(host, policy, out);
}

bool Scheduler::HasHostNamed(const std::string& name) const {
  return std::any_of(hosts_.begin(), hosts_.end(), [&](const auto& kv) { return kv.second.record.facts.hostname == name; });
}

// --- agents ----------------------------------------------------------------

int64_t Scheduler::Enroll(const api::EnrollRequest& request, const std::string& credential_hash, int64_t now,
                          Batch& out) {
  int64_t id = next_host_id_++;
  Host& host = hosts_[id];
  host.record = HostRecord{id, request.facts, std::max<int64_t>(request.slots, 1), credential_hash, now};
  host.last_seen = now;
  host_by_credential_[credential_hash] = id;
  out.hosts.push_back(host.record);
  return id;
}

Result<api::SyncResponse> Scheduler::Sync(int64_t host_id, const api::SyncRequest& request, int64_t now, Batch& out) {
  auto hit = hosts_.find(host_id);
  if (hit == hosts_.end()) return NotFound("host " + std::to_string(host_id) + " is not enrolled");
  Host& host = hit->second;
  host.last_seen = now;
  if (request.slots > 0 && request.slots != host.record.slots) {
    host.record.slots = request.slots;
    out.hosts.push_back(host.record);
  }

  if (request.activity) host.activity = request.activity;
  host.memory_offered = request.memory;
  if (request.facts) {
    // A restarted agent says what it is now (a sandbox that works since,
    // more memory, a new version); it keeps the name it enrolled with.
    api::HostFacts facts = *request.facts;
    facts.hostname = host.record.facts.hostname;
    if (facts != host.record.facts) {
      host.record.facts = std::move(facts);
      out.hosts.push_back(host.record);
    }
  }

  api::SyncResponse response;
  response.policy = policies_.For(host.record.facts.hostname).policy;
  std::set<int64_t> reported(request.running.begin(), request.running.end());
  // Before the completions: an attempt's last checkpoint may ride with its end.
  for (const auto& report : request.checkpoints) RecordCheckpoint(host, report.attempt_id, report.blob, out);
  for (const auto& c : request.completions) {
    reported.insert(c.attempt_id);
    response.accepted.push_back(c.attempt_id);  // acknowledged even when it is a replay
    AcceptCompletion(host, c, now, out);
  }
  // An attempt the agent does not mention is one it does not hold: it
  // restarted, or never received the assignment.
  std::vector<int64_t> silent;
  for (int64_t id : host.attempts) {
    if (!reported.count(id)) silent.push_back(id);
  }
  for (int64_t id : silent) LoseAttempt(id, "the agent on " + host.record.facts.hostname + " no longer runs it", now, out);

  for (int64_t id : request.running) {
    auto it = attempts_.find(id);
    if (it == attempts_.end() || it->second.record.host_id != host_id) {
      response.cancel.push_back(id);  // cancelled, lost or unknown: stop it
      continue;
    }
    it->second.lease_deadline = now + config_.lease_ms;
    it->second.record.state = AttemptState::kRunning;
  }

  int64_t free_slots = std::min(request.free_slots, host.record.slots - host.slots_used);
  if (free_slots > 0 && !host.record.quarantined) Assign(host, free_slots, now, response, out);
  response.lease_ms = config_.lease_ms;
  response.poll_ms = config_.poll_ms;
  return response;
}

void Scheduler::ExpireLeases(int64_t now, Batch& out) {
  std::vector<int64_t> expired;
  for (const auto& [id, a] : attempts_) {
    if (a.lease_deadline <= now) expired.push_back(id);
  }
  std::sort(expired.begin(), expired.end());
  for (int64_t id : expired) {
    std::string host = HostName(attempts_.at(id).record.host_id);
    LoseAttempt(id, "lost: host " + host + " stopped reporting", now, out);
  }
}

void Scheduler::AcceptCompletion(Host& host, const api::Completion& c, int64_t now, Batch& out) {
  auto it = attempts_.find(c.attempt_id);
  if (it == attempts_.end() || it->second.record.host_id != host.record.id) {
    // Not live: a replay of a completion already accepted, or the late result
    // of an attempt lost to a silent host. A late success still counts when
    // nobody else has finished the task yet.
    auto lost = lost_.find(c.attempt_id);
    if (lost == lost_.end() || lost->second.host_id != host.record.id) return;
    AttemptRecord record = lost->second;
    lost_.erase(lost);
    record.ended_at = now;
    record.cpu_ms = c.cpu_ms;
    record.wall_ms = c.wall_ms;
    Job* job = FindJob(record.job_id);
    if (!c.succeeded || !job || IsTerminal(job->tasks[static_cast<size_t>(record.index)].state) ||
        Replicated(*job)) {
      // History keeps what happened, but the task's result stays the one accepted.
      record.reason = !c.succeeded ? DescribeFailure(c)
                      : job && Replicated(*job) && !IsTerminal(job->tasks[static_cast<size_t>(record.index)].state)
                          ? "late result not used: a replicated task counts only its live replicas' results"
                          : "late result not accepted: the task had finished";
      out.attempts.push_back(record);
      return;
    }
    Task& t = job->tasks[static_cast<size_t>(record.index)];
    for (int64_t attempt : t.live) EndAttempt(attempt, AttemptState::kCancelled, "another attempt finished first", now, out);
    t.live.clear();
    if (t.state == TaskState::kQueued) {
      auto& q = job->requeued;
      q.erase(std::remove(q.begin(), q.end(), record.index), q.end());
    }
    record.state = AttemptState::kSucceeded;
    record.reason = "result arrived after the attempt was declared lost";
    out.attempts.push_back(record);
    host.failure_streak.clear();
    t.host_id = record.host_id;
    AcceptResult(*job, record.index, OutcomeOf(c), now, out);
    UpdateRunnable(*job);
    return;
  }
  // Kept on the attempt's row for accounting: the CPU was spent even if the
  // result is a failure or arrives after the task finished.
  it->second.record.cpu_ms = c.cpu_ms;
  it->second.record.wall_ms = c.wall_ms;
  AttemptState ended = c.succeeded ? AttemptState::kSucceeded : c.vacated ? AttemptState::kVacated : AttemptState::kFailed;
  AttemptRecord record = EndAttempt(c.attempt_id, ended, c.succeeded ? "" : DescribeFailure(c), now, out);
  Job* job = FindJob(record.job_id);
  if (!job) return;
  Task& t = job->tasks[static_cast<size_t>(record.index)];
  if (!Contains(t.live, c.attempt_id) || IsTerminal(t.state)) return;
  Remove(t.live, c.attempt_id);
  bool replicated = Replicated(*job);
  // The checkpoint taken after a vacate's grace; RetryOrFail persists it.
  // Replicas share none: each must compute its result on its own.
  if (!replicated && !c.succeeded && c.checkpoint && IsSha256Hex(c.checkpoint->sha256)) t.checkpoint = std::make_unique<api::FileRef>(*c.checkpoint);
  if (!c.succeeded) t.Distrust(host.record.id);
  TaskOutcome outcome = OutcomeOf(c);
  KeepOwnerHistory(t.outcome, outcome);
  if (c.succeeded && replicated) {
    host.failure_streak.clear();
    ReplicaResult result;
    result.attempt_id = c.attempt_id;
    result.host_id = host.record.id;
    result.hash = ResultHash(outcome);
    result.outcome = std::move(outcome);
    AddReplicaResult(*job, record.index, std::move(result), now, out);
  } else if (c.succeeded) {
    host.failure_streak.clear();
    AcceptResult(*job, record.index, std::move(outcome), now, out);
  } else if (c.vacated) {
    // The owner wanted the desktop back: neither the task's fault nor the
    // host's, so it is requeued at once and uses up no retry.
    if (t.outcome) outcome.failed_hosts = t.outcome->failed_hosts;
    outcome.vacated += 1;
    RetryOrFail(*job, record.index, std::move(outcome), 0, now, out);
  } else {
    FailAttempt(host, *job, record.index, std::move(outcome), now, out);
  }
}

void Scheduler::RecordCheckpoint(const Host& host, int64_t attempt_id, const api::FileRef& checkpoint, Batch& out) {
  if (!IsSha256Hex(checkpoint.sha256)) return;
  auto it = attempts_.find(attempt_id);
  if (it == attempts_.end() || it->second.record.host_id != host.record.id) return;
  Job* job = FindJob(it->second.record.job_id);
  if (!job) return;
  int64_t index = it->second.record.index;
  Task& t = job->tasks[static_cast<size_t>(index)];
  if (!Contains(t.live, attempt_id) || IsTerminal(t.state) || Replicated(*job)) return;
  if (t.checkpoint && t.checkpoint->sha256 == checkpoint.sha256) return;  // a replay, or unchanged
  t.checkpoint = std::make_unique<api::FileRef>(checkpoint);
  PersistTask(*job, index, out);
}

void Scheduler::FailAttempt(Host& host, Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out) {
  Task& t = job.tasks[static_cast<size_t>(index)];
  if (t.outcome) outcome.failed_hosts = t.outcome->failed_hosts;
  auto& failed_on = outcome.failed_hosts;
  if (std::find(failed_on.begin(), failed_on.end(), host.record.id) == failed_on.end()) {
    failed_on.push_back(host.record.id);
  }
  NoteHostFailure(host, job.record.id, index, outcome.reason, out);
  if (static_cast<int64_t>(failed_on.size()) >= config_.poison_hosts) {
    // Failing everywhere is the task's fault, not the hosts': stop retrying.
    outcome.reason = "failed on " + std::to_string(failed_on.size()) +
                     " different hosts, so the task itself is at fault: " + outcome.reason;
    FailTask(job, index, std::move(outcome), now, out);
    return;
  }
  // Doubling with each failed attempt; a replicated task's results and running replicas are none.
  int64_t failures = t.attempts - static_cast<int64_t>(t.Votes().results.size() + t.live.size());
  int64_t delay = config_.retry_backoff_ms;
  for (int64_t i = 1; i < failures && delay < config_.max_backoff_ms; ++i) delay *= 2;
  RetryOrFail(job, index, std::move(outcome), std::min(delay, config_.max_backoff_ms), now, out);
}

void Scheduler::NoteHostFailure(Host& host, int64_t job_id, int64_t index, const std::string& reason, Batch& out) {
  host.failure_streak.insert({job_id, index});
  if (host.record.quarantined || static_cast<int64_t>(host.failure_streak.size()) < config_.quarantine_after) return;
  host.record.quarantined = true;
  host.record.quarantine_reason = "failed " + std::to_string(host.failure_streak.size()) +
                                  " different tasks in a row (last: " + reason + ")";
  out.hosts.push_back(host.record);
}

Status Scheduler::ReleaseHost(int64_t host_id, int64_t now, Batch& out) {
  auto it = hosts_.find(host_id);
  if (it == hosts_.end()) return NotFound("host " + std::to_string(host_id) + " is not enrolled; `gleaner hosts` lists them");
  Host& host = it->second;
  host.failure_streak.clear();
  if (!host.record.quarantined) return OkStatus();
  host.record.quarantined = false;
  host.record.quarantine_reason.clear();
  out.hosts.push_back(host.record);
  return OkStatus();
}

void Scheduler::Tick(int64_t now, Batch& out) {
  ExpireLeases(now, out);
  // A lost attempt's late result is worth recording for a day; after that its
  // agent is not coming back with it.
  std::erase_if(lost_, [&](const auto& kv) { return kv.second.ended_at < now - kLateResultHorizonMs; });
  ReleaseDelayed(now);
  EnforceDeadlines(now, out);
}

void Scheduler::ReleaseDelayed(int64_t now) {
  while (!delayed_.empty() && std::get<0>(*delayed_.begin()) <= now) {
    auto [due, job_id, index] = *delayed_.begin();
    delayed_.erase(delayed_.begin());
    Job* job = FindJob(job_id);
    if (!job) continue;
    const Task& t = job->tasks[static_cast<size_t>(index)];
    if (Replicated(*job) ? !t.waiting || IsTerminal(t.state) : t.state != TaskState::kQueued) continue;
    job->requeued.push_back(index);
    UpdateRunnable(*job);
  }
}

void Scheduler::EnforceDeadlines(int64_t now, Batch& out) {
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    int64_t job_id = deadlines_.begin()->second;
    deadlines_.erase(deadlines_.begin());
    Job* job = FindJob(job_id);
    if (!job || job->record.finished_at != 0) continue;
    EndUnfinishedTasks(*job, TaskState::kFailed,
                       "the job's deadline of " + FormatDuration(Millis(job->record.spec.deadline_ms)) + " passed",
                       now, out);
  }
}

void Scheduler::AcceptResult(Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out) {
  Task& t = job.tasks[static_cast<size_t>(index)];
  t.outcome = std::make_unique<TaskOutcome>(std::move(outcome));
  t.checkpoint.reset();  // a finished task resumes nothing
  SetTaskState(job, index, TaskState::kDone);
  PersistTask(job, index, out);
  MaybeFinishJob(job, now, out);
}

void Scheduler::Assign(Host& host, int64_t free_slots, int64_t now, api::SyncResponse& response, Batch& out) {
  // Jobs that have nothing more for this host now: a replicated job's queued
  // tasks may all hold a replica here already.
  std::set<int64_t> exhausted;
  while (free_slots > 0) {
    Job* chosen = nullptr;
    for (const auto& [neg_priority, job_id] : runnable_) {
      Job& job = jobs_.at(job_id);
      const auto& spec = job.record.spec;
      if (exhausted.count(job_id)) continue;
      if (spec.cpus <= free_slots && (spec.memory == 0 || spec.memory <= host.MemoryForTasks())) {
        chosen = &job;
        break;
      }
    }
    if (!chosen) return;
    Job& job = *chosen;
    const auto& spec = job.record.spec;
    exhausted.insert(job.record.id);
    while (free_slots >= spec.cpus) {
      std::optional<int64_t> next = TakeTaskFor(job, host);
      if (!next) break;
      int64_t index = *next;
      Task& t = job.tasks[static_cast<size_t>(index)];
      int64_t attempt_id = next_attempt_id_++;
      t.attempts++;
      t.live.push_back(attempt_id);
      t.host_id = host.record.id;
      if (Replicated(job)) {
        // Adaptive replication: a proven host's result may stand alone,
        // except on spot-checked tasks.
        if (t.live.size() == 1 && t.Votes().results.empty() && spec.adaptive &&
            IsProven(host.record, config_.proven_after) &&
            !IsSpotChecked(job.record.id, index, config_.spot_check_one_in)) {
          t.MutableVotes().trusted_host = host.record.id;
        }
        // The task's other replicas go to other hosts, before older work.
        if (!t.waiting && WantedReplicas(job, t) > 0) {
          job.requeued.push_front(index);
          t.waiting = true;
        }
      }
      SetTaskState(job, index, TaskState::kRunning);
      PersistTask(job, index, out);

      AttemptRecord record{attempt_id, job.record.id, index, host.record.id, AttemptState::kAssigned, now, 0, ""};
      out.attempts.push_back(record);
      attempts_[attempt_id] = Attempt{record, spec.cpus, now + config_.lease_ms};
      host.attempts.insert(attempt_id);
      host.slots_used += spec.cpus;
      free_slots -= spec.cpus;

      api::Assignment a;
      a.attempt_id = attempt_id;
      a.job_id = job.record.id;
      a.index = index;
      a.count = spec.count;
      a.command = api::ExpandCommand(spec.command, index, spec.count);
      a.inputs = spec.inputs;
      a.outputs = spec.outputs;
      a.cpus = spec.cpus;
      a.memory = spec.memory;
      a.timeout_ms = spec.timeout_ms;
      a.env = spec.env;
      a.network = spec.network;
      a.checkpoint = CopyOf(t.checkpoint);
      response.assignments.push_back(std::move(a));
    }
    UpdateRunnable(job);
  }
}

std::optional<int64_t> Scheduler::TakeTaskFor(Job& job, const Host& host) {
  if (!Replicated(job)) {
    if (!job.requeued.empty()) {
      int64_t index = job.requeued.front();
      job.requeued.pop_front();
      return index;
    }
    if (job.next_fresh < static_cast<int64_t>(job.tasks.size())) return job.next_fresh++;
    return std::nullopt;
  }
  // Replicas of one task run on distinct hosts. The scan is bounded, so a host
  // that already holds many queued tasks' replicas costs little: it then takes
  // fresh work, or none.
  constexpr size_t kScanLimit = 256;
  for (size_t i = 0; i < job.requeued.size() && i < kScanLimit; ++i) {
    int64_t index = job.requeued[i];
    Task& t = job.tasks[static_cast<size_t>(index)];
    if (HoldsReplica(t, host.record.id)) continue;
    job.requeued.erase(job.requeued.begin() + static_cast<std::ptrdiff_t>(i));
    t.waiting = false;
    return index;
  }
  if (job.next_fresh < static_cast<int64_t>(job.tasks.size())) return job.next_fresh++;
  return std::nullopt;
}

// --- state transitions -----------------------------------------------------

AttemptRecord Scheduler::EndAttempt(int64_t attempt_id, AttemptState state, const std::string& reason, int64_t now,
                                    Batch& out) {
  auto it = attempts_.find(attempt_id);
  AttemptRecord record = it->second.record;
  auto host = hosts_.find(record.host_id);
  if (host != hosts_.end()) {
    host->second.attempts.erase(attempt_id);
    host->second.slots_used -= it->second.cpus;
  }
  attempts_.erase(it);
  record.state = state;
  record.ended_at = now;
  record.reason = reason;
  out.attempts.push_back(record);
  return record;
}

void Scheduler::LoseAttempt(int64_t attempt_id, const std::string& reason, int64_t now, Batch& out) {
  AttemptRecord record = EndAttempt(attempt_id, AttemptState::kLost, reason, now, out);
  Job* job = FindJob(record.job_id);
  if (!job) return;
  Task& t = job->tasks[static_cast<size_t>(record.index)];
  if (!Contains(t.live, attempt_id)) return;
  Remove(t.live, attempt_id);
  t.Distrust(record.host_id);
  lost_[attempt_id] = record;
  TaskOutcome outcome;
  outcome.attempt_id = attempt_id;
  outcome.reason = reason;
  if (t.outcome) outcome.failed_hosts = t.outcome->failed_hosts;
  KeepOwnerHistory(t.outcome, outcome);
  RetryOrFail(*job, record.index, std::move(outcome), 0, now, out);  // a lost host is not the task's fault
}

void Scheduler::FailTask(Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out) {
  Task& t = job.tasks[static_cast<size_t>(index)];
  // A replicated task's other replicas are of no use any more.
  for (int64_t attempt : t.live) EndAttempt(attempt, AttemptState::kCancelled, "the task failed", now, out);
  t.live.clear();
  DropFromQueue(job, index);
  t.outcome = std::make_unique<TaskOutcome>(std::move(outcome));
  SetTaskState(job, index, TaskState::kFailed);
  PersistTask(job, index, out);
  MaybeFinishJob(job, now, out);
}

void Scheduler::RetryOrFail(Job& job, int64_t index, TaskOutcome outcome, int64_t delay_ms, int64_t now,
                            Batch& out) {
  Task& t = job.tasks[static_cast<size_t>(index)];
  // Attempts that failed or were lost: a replicated task's results and
  // running replicas are not retries.
  int64_t retries = t.attempts - outcome.vacated - static_cast<int64_t>(t.Votes().results.size()) -
                    static_cast<int64_t>(t.live.size());
  if (retries > job.record.spec.max_retries) {
    outcome.reason = "gave up after " + std::to_string(t.attempts) + " attempt" + (t.attempts == 1 ? "" : "s") +
                     ": " + outcome.reason;
    FailTask(job, index, std::move(outcome), now, out);
    return;
  }
  t.outcome = std::make_unique<TaskOutcome>(std::move(outcome));
  if (Replicated(job)) {
    AdvanceValidation(job, index, delay_ms, now, out);
    return;
  }
  SetTaskState(job, index, TaskState::kQueued);
  QueueAgain(job, index, delay_ms, now);
  PersistTask(job, index, out);
  UpdateRunnable(job);
}

void Scheduler::QueueAgain(Job& job, int64_t index, int64_t delay_ms, int64_t now) {
  if (delay_ms > 0) {
    delayed_.insert({now + delay_ms, job.record.id, index});
  } else {
    job.requeued.push_back(index);
  }
}

void Scheduler::SetTaskState(Job& job, int64_t index, TaskState state) {
  Task& t = job.tasks[static_cast<size_t>(index)];
  CountOf(job.counts, t.state)--;
  CountOf(job.counts, state)++;
  t.state = state;
}

void Scheduler::PersistTask(const Job& job, int64_t index, Batch& out) const {
  const Task& t = job.tasks[static_cast<size_t>(index)];
  TaskRecord r{job.record.id, index, t.state, t.attempts, t.host_id, t.outcome ? *t.outcome : TaskOutcome{},
               CopyOf(t.checkpoint), t.Votes()};
  out.tasks.push_back(std::move(r));
}

void Scheduler::MaybeFinishJob(Job& job, int64_t now, Batch& out) {
  const auto& c = job.counts;
  if (job.record.finished_at != 0 || c.queued > 0 || c.running > 0) return;
  job.record.finished_at = now;
  out.jobs.push_back(job.record);
  deadlines_.erase({job.record.created_at + job.record.spec.deadline_ms, job.record.id});
}

void Scheduler::UpdateRunnable(const Job& job) {
  auto key = std::make_pair(-job.record.spec.priority, job.record.id);
  if (job.HasQueued() && !job.record.cancelled) {
    runnable_.insert(key);
  } else {
    runnable_.erase(key);
  }
}

// --- views -----------------------------------------------------------------

Scheduler::Job* Scheduler::FindJob(int64_t id) {
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : &it->second;
}

const Scheduler::Job* Scheduler::FindJob(int64_t id) const {
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : &it->second;
}

std::string Scheduler::HostName(int64_t host_id) const {
  auto it = hosts_.find(host_id);
  return it == hosts_.end() ? "" : it->second.record.facts.hostname;
}

api::JobView Scheduler::ViewOf(const Job& job) const {
  api::JobView v;
  v.id = job.record.id;
  v.spec = job.record.spec;
  v.counts = job.counts;
  v.owner = job.record.owner;
  v.created_at = job.record.created_at;
  v.finished_at = job.record.finished_at;
  const auto& c = job.counts;
  if (job.record.cancelled) v.state = api::JobState::kCancelled;
  else if (c.done == job.record.spec.count) v.state = api::JobState::kDone;
  else if (c.queued == 0 && c.running == 0) v.state = api::JobState::kFailed;
  else if (c.running + c.done + c.failed > 0) v.state = api::JobState::kRunning;
  else v.state = api::JobState::kQueued;
  return v;
}

api::TaskView Scheduler::ViewOf(const Job& job, int64_t index) const {
  const Task& t = job.tasks[static_cast<size_t>(index)];
  api::TaskView v;
  v.job_id = job.record.id;
  v.index = index;
  v.state = t.state;
  v.attempts = t.attempts;
  v.host = HostName(t.host_id);
  if (t.outcome) {
    v.exit_code = t.outcome->exit_code;
    v.signal = t.outcome->signal;
    v.reason = t.outcome->reason;
    v.outputs = t.outcome->outputs;
    v.stdout_ref = t.outcome->stdout_ref;
    v.stderr_ref = t.outcome->stderr_ref;
    v.wall_ms = t.outcome->wall_ms;
    v.events = t.outcome->events;
  }
  v.checkpoint = CopyOf(t.checkpoint);
  v.validation = ValidationText(job, t);
  if (t.state == TaskState::kCancelled && v.reason.empty()) v.reason = "job cancelled";
  if (t.state == TaskState::kFailed && v.reason.empty()) v.reason = "the job's deadline passed before it ran";
  return v;
}

}  // namespace gleaner::server
