#include "server/scheduler/scheduler.h"

#include <algorithm>
#include <utility>

#include "api/job_spec.h"
#include "common/clock.h"
#include "common/sha256.h"
#include "common/signal_names.h"
#include "common/units.h"
#include "server/scheduler/quorum.h"

namespace gleaner::server {

using api::AttemptState;
using api::TaskState;

namespace {

constexpr int64_t kLateResultHorizonMs = 24 * 3600 * 1000;

// Why an attempt did not succeed, in words, when the agent gave no reason.
std::string DescribeFailure(const api::Completion& c) {
  if (!c.reason.empty()) return c.reason;
  if (c.signal) {
    std::string name = SignalName(*c.signal);
    return "killed by signal " + std::to_string(*c.signal) + (name.empty() ? "" : " (" + name + ")");
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

Error NoSuchJob(int64_t job_id) {
  return NotFound("job " + std::to_string(job_id) + " does not exist; `gleaner jobs` lists them");
}

Error NoHostNamed(const std::string& name) {
  return NotFound("no host named '" + name + "'; `gleaner hosts` lists them");
}

}  // namespace

// --- restore ---------------------------------------------------------------

void Scheduler::Restore(const Snapshot& snap, int64_t now) {
  tokens_.Restore(snap.tokens);
  policies_.Restore(snap.policies);
  hosts_.Restore(snap.hosts);
  for (const auto& r : snap.jobs) {
    Job& job = jobs_[r.id];
    job.record = r;
    job.ParseMatchmaking();
    job.tasks.resize(static_cast<size_t>(r.spec.count));
    next_job_id_ = std::max(next_job_id_, r.id + 1);
  }
  for (const auto& r : snap.tasks) {
    Job* job = FindJob(r.job_id);
    if (!job || r.index < 0 || r.index >= static_cast<int64_t>(job->tasks.size())) continue;
    Task& t = job->task(r.index);
    t.state = r.state;
    t.attempts = static_cast<int32_t>(r.attempts);
    t.host_id = r.host_id;
    if (r.checkpoint) t.checkpoint = std::make_unique<api::FileRef>(*r.checkpoint);
    if (!r.validation.empty()) t.validation = std::make_unique<Validation>(r.validation);
    if (r.outcome.attempt_id != 0 || !r.outcome.reason.empty()) t.outcome = std::make_unique<TaskOutcome>(r.outcome);
    job->next_fresh = std::max(job->next_fresh, r.index + 1);
  }
  attempts_.RestoreIds(snap.max_attempt_id);
  for (const auto& r : snap.live_attempts) {
    Job* job = FindJob(r.job_id);
    Host* host = hosts_.Find(r.host_id);
    if (!job || !host || r.index >= static_cast<int64_t>(job->tasks.size())) continue;
    Task& t = job->task(r.index);
    if (t.state != TaskState::kRunning) continue;
    t.live.push_back(r.id);
    attempts_.Add(r, job->record.spec.cpus, now + config_.lease_ms);
    host->attempts.insert(r.id);
    host->slots_used += job->record.spec.cpus;
  }
  for (auto& [id, job] : jobs_) {
    for (int64_t i = 0; i < static_cast<int64_t>(job.tasks.size()); ++i) {
      Task& t = job.task(i);
      bool dispatched_before = i < job.next_fresh;
      if (job.Replicated() && dispatched_before && !IsTerminal(t.state) && job.record.finished_at == 0) {
        // A replicated task waits for as many replicas as its quorum still
        // needs; a proven host whose replica is gone is trusted no more.
        if (t.live.empty() && t.validation) t.validation->trusted_host = 0;
        if (Uncompared(t.Votes().results) > 0) validation_.WantComparison(id, i);
        t.state = t.live.empty() ? TaskState::kQueued : TaskState::kRunning;
        if (ReplicaValidation::WantedReplicas(job.record.spec, t) > 0) {
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
      queue_.AddDeadline(job.record.created_at + job.record.spec.deadline_ms, id);
    }
    UpdateRunnable(job);
  }
}

// --- credentials -----------------------------------------------------------

Result<std::optional<Principal>> Scheduler::Authenticate(const std::string& secret_hash, int64_t now) const {
  auto token = tokens_.Check(secret_hash, now);
  if (!token.ok()) return token.error();
  if (*token) return std::optional<Principal>(Principal{(*token)->role, (*token)->name, 0, (*token)->allow_network});
  if (const Host* host = hosts_.FindByCredential(secret_hash)) {
    const HostRecord& record = host->record;
    if (record.revoked_at != 0) {
      return Unauthenticated("host " + record.facts.hostname + " was revoked by an admin at " +
                             FormatUtc(record.revoked_at) +
                             "; to bring it back, enrol it again with a new join token and a fresh --work dir");
    }
    return std::optional<Principal>(Principal{api::Role::kAgent, record.facts.hostname, record.id});
  }
  return std::optional<Principal>();
}

Status Scheduler::UseJoinToken(const std::string& secret_hash, int64_t now, Batch& out) {
  auto token = tokens_.Check(secret_hash, now);
  if (!token.ok()) return token.error();
  tokens_.CountUse(secret_hash, out);
  return OkStatus();
}

bool Scheduler::JobHoldsBlob(int64_t job_id, std::optional<int64_t> index, const std::string& sha256) const {
  const Job* job = FindJob(job_id);
  if (!job) return false;
  const auto& inputs = job->record.spec.inputs;
  if (std::any_of(inputs.begin(), inputs.end(), [&](const api::FileRef& f) { return f.sha256 == sha256; })) return true;
  if (!index || *index < 0 || *index >= static_cast<int64_t>(job->tasks.size())) return false;
  const Task& t = job->task(*index);
  if (t.checkpoint && t.checkpoint->sha256 == sha256) return true;
  if (!t.outcome) return false;
  const TaskOutcome& o = *t.outcome;
  for (const auto* capture : {&o.stdout_ref, &o.stderr_ref}) {
    if (*capture && (*capture)->sha256 == sha256) return true;
  }
  return std::any_of(o.outputs.begin(), o.outputs.end(), [&](const api::FileRef& f) { return f.sha256 == sha256; });
}

bool Scheduler::HostMayRead(int64_t host_id, const std::string& sha256) const {
  const Host* host = hosts_.Find(host_id);
  if (!host) return false;
  for (int64_t id : host->attempts) {
    const Attempt* a = attempts_.Find(id);
    if (!a) continue;
    const Job* job = FindJob(a->record.job_id);
    if (!job) continue;
    for (const auto& input : job->record.spec.inputs) {
      if (input.sha256 == sha256) return true;
    }
    const Task& task = job->task(a->record.index);
    if (task.checkpoint && task.checkpoint->sha256 == sha256) return true;
  }
  return false;
}

Result<api::HostView> Scheduler::RevokeHost(int64_t host_id, int64_t now, Batch& out) {
  Host* host = hosts_.Find(host_id);
  if (!host) return HostNotEnrolled(host_id);
  if (host->record.revoked_at == 0) {
    host->record.revoked_at = now;
    out.hosts.push_back(host->record);
    std::vector<int64_t> held(host->attempts.begin(), host->attempts.end());
    for (int64_t id : held) LoseAttempt(id, "host " + host->record.facts.hostname + " was revoked", now, out);
  }
  return ViewOfHost(*host, now);
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
  job.ParseMatchmaking();
  job.tasks.resize(static_cast<size_t>(spec.count));
  job.counts.queued = spec.count;
  out.jobs.push_back(job.record);
  if (spec.deadline_ms > 0) queue_.AddDeadline(now + spec.deadline_ms, id);
  UpdateRunnable(job);
  return id;
}

std::string Scheduler::NoHostCanRun(int64_t job_id) const {
  const Job* job = FindJob(job_id);
  if (!job) return "";
  const api::JobSpec& spec = job->record.spec;
  int64_t enrolled = 0, unmet = 0, small = 0;
  for (const auto& [id, h] : hosts_.all()) {
    if (h.record.revoked_at != 0) continue;
    ++enrolled;
    if (!job->requirements.Matches(api::MatchFacts(h.record.facts, h.record.labels))) {
      ++unmet;
    } else if (spec.cpus > h.record.slots || (spec.memory > 0 && spec.memory > h.record.facts.memory)) {
      ++small;
    } else {
      return "";
    }
  }
  if (enrolled == 0) return job->requirements.empty() ? "" : "no host is enrolled yet to meet its requirements";
  std::string why = "no enrolled host can run it: of " + std::to_string(enrolled) + " host" +
                    (enrolled == 1 ? "" : "s") + ", ";
  if (unmet > 0) why += std::to_string(unmet) + " do not meet its requirements";
  if (unmet > 0 && small > 0) why += " and ";
  if (small > 0) why += std::to_string(small) + " have fewer slots or less memory than a task asks";
  return why + "; it waits until one does (`gleaner job " + std::to_string(job_id) + " --why` explains)";
}

Result<api::JobView> Scheduler::Cancel(int64_t job_id, int64_t now, Batch& out) {
  Job* job = FindJob(job_id);
  if (!job) return NoSuchJob(job_id);
  if (job->record.cancelled || job->record.finished_at != 0) return ViewOf(*job);
  job->record.cancelled = true;
  EndUnfinishedTasks(*job, TaskState::kCancelled, "job cancelled", now, out);
  return ViewOf(*job);
}

void Scheduler::EndUnfinishedTasks(Job& job, TaskState state, const std::string& reason, int64_t now, Batch& out) {
  for (int64_t i = 0; i < static_cast<int64_t>(job.tasks.size()); ++i) {
    Task& t = job.task(i);
    if (IsTerminal(t.state)) continue;
    bool stored = i < job.next_fresh;
    // The agent hears "cancel" when it next reports this attempt as running.
    for (int64_t attempt : t.live) EndAttempt(attempt, AttemptState::kCancelled, reason, now, out);
    t.live.clear();
    t.waiting = false;
    job.SetTaskState(i, state);
    if (stored) {
      // Never-dispatched tasks need no row: they follow the finished job.
      if (!t.outcome) t.outcome = std::make_unique<TaskOutcome>();
      t.outcome->reason = reason;
      PersistTask(job, i, out);
    }
  }
  queue_.ForgetDelayed(job.record.id);
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
  if (!job) return NoSuchJob(job_id);
  return ViewOf(*job);
}

Result<api::TaskList> Scheduler::ListTasks(int64_t job_id) const {
  const Job* job = FindJob(job_id);
  if (!job) return NoSuchJob(job_id);
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
  for (const auto& [id, h] : hosts_.all()) list.hosts.push_back(ViewOfHost(h, now));
  return list;
}

// --- owner policy ----------------------------------------------------------

Result<api::PolicyView> Scheduler::GetPolicy(const std::string& host) const {
  if (!host.empty() && !hosts_.HasNamed(host)) return NoHostNamed(host);
  return policies_.For(host);
}

Status Scheduler::SetPolicy(const std::string& host, const api::Policy& policy, Batch& out) {
  if (!host.empty() && !hosts_.HasNamed(host)) return NoHostNamed(host);
  return policies_.Set(host, policy, out);
}

// --- agents ----------------------------------------------------------------

int64_t Scheduler::Enroll(const api::EnrollRequest& request, const std::string& credential_hash, int64_t now,
                          Batch& out) {
  return hosts_.Enroll(request, credential_hash, now, out).record.id;
}

Result<api::SyncResponse> Scheduler::Sync(int64_t host_id, const api::SyncRequest& request, int64_t now, Batch& out) {
  Host* found = hosts_.Find(host_id);
  if (!found) return NotFound("host " + std::to_string(host_id) + " is not enrolled");
  Host& host = *found;
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
    Attempt* a = attempts_.FindOn(id, host_id);
    if (!a) {
      response.cancel.push_back(id);  // cancelled, lost or unknown: stop it
      continue;
    }
    a->lease_deadline = now + config_.lease_ms;
    a->record.state = AttemptState::kRunning;
  }

  int64_t free_slots = std::min(request.free_slots, host.record.slots - host.slots_used);
  host.asking_slots = std::max<int64_t>(free_slots, 0);
  if (free_slots > 0) Assign(host, free_slots, now, response, out);
  response.lease_ms = config_.lease_ms;
  response.poll_ms = config_.poll_ms;
  return response;
}

void Scheduler::ExpireLeases(int64_t now, Batch& out) {
  for (int64_t id : attempts_.ExpiredBy(now)) {
    // Losing one replica may end the task and with it its siblings that
    // expired in the same tick: those are gone already.
    const Attempt* expired = attempts_.Find(id);
    if (!expired) continue;
    std::string host = hosts_.Name(expired->record.host_id);
    LoseAttempt(id, "lost: host " + host + " stopped reporting", now, out);
  }
}

void Scheduler::AcceptCompletion(Host& host, const api::Completion& c, int64_t now, Batch& out) {
  if (!attempts_.FindOn(c.attempt_id, host.record.id)) {
    // Not live: a replay of a completion already accepted, or the late result
    // of an attempt lost to a silent host.
    if (auto lost = attempts_.TakeLost(c.attempt_id, host.record.id)) AcceptLateResult(host, *lost, c, now, out);
    return;
  }
  // Kept on the attempt's row for accounting: the CPU was spent even if the
  // result is a failure or arrives after the task finished.
  Attempt* live = attempts_.Find(c.attempt_id);
  live->record.cpu_ms = c.cpu_ms;
  live->record.wall_ms = c.wall_ms;
  AttemptState ended = c.succeeded ? AttemptState::kSucceeded : c.vacated ? AttemptState::kVacated : AttemptState::kFailed;
  AttemptRecord record = EndAttempt(c.attempt_id, ended, c.succeeded ? "" : DescribeFailure(c), now, out);
  Job* job = FindJob(record.job_id);
  if (!job) return;
  Task& t = job->task(record.index);
  if (!Contains(t.live, c.attempt_id) || IsTerminal(t.state)) return;
  Remove(t.live, c.attempt_id);
  bool replicated = job->Replicated();
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
    validation_.AddResult(*job, record.index, t, std::move(result));
    AdvanceValidation(*job, record.index, 0, now, out);
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

void Scheduler::AcceptLateResult(Host& host, AttemptRecord record, const api::Completion& c, int64_t now,
                                 Batch& out) {
  record.ended_at = now;
  record.cpu_ms = c.cpu_ms;
  record.wall_ms = c.wall_ms;
  Job* job = FindJob(record.job_id);
  if (!c.succeeded || !job || IsTerminal(job->task(record.index).state) || job->Replicated()) {
    // History keeps what happened, but the task's result stays the one accepted.
    record.reason = !c.succeeded ? DescribeFailure(c)
                    : job && job->Replicated() && !IsTerminal(job->task(record.index).state)
                        ? "late result not used: a replicated task counts only its live replicas' results"
                        : "late result not accepted: the task had finished";
    out.attempts.push_back(record);
    return;
  }
  Task& t = job->task(record.index);
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
}

void Scheduler::RecordCheckpoint(const Host& host, int64_t attempt_id, const api::FileRef& checkpoint, Batch& out) {
  if (!IsSha256Hex(checkpoint.sha256)) return;
  const Attempt* a = attempts_.FindOn(attempt_id, host.record.id);
  if (!a) return;
  Job* job = FindJob(a->record.job_id);
  if (!job) return;
  int64_t index = a->record.index;
  Task& t = job->task(index);
  if (!Contains(t.live, attempt_id) || IsTerminal(t.state) || job->Replicated()) return;
  if (t.checkpoint && t.checkpoint->sha256 == checkpoint.sha256) return;  // a replay, or unchanged
  t.checkpoint = std::make_unique<api::FileRef>(checkpoint);
  PersistTask(*job, index, out);
}

void Scheduler::FailAttempt(Host& host, Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out) {
  Task& t = job.task(index);
  if (t.outcome) outcome.failed_hosts = t.outcome->failed_hosts;
  auto& failed_on = outcome.failed_hosts;
  if (std::find(failed_on.begin(), failed_on.end(), host.record.id) == failed_on.end()) {
    failed_on.push_back(host.record.id);
  }
  hosts_.NoteFailure(host, job.record.id, index, outcome.reason, config_.quarantine_after, out);
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

Status Scheduler::ReleaseHost(int64_t host_id, int64_t /*now*/, Batch& out) { return hosts_.Release(host_id, out); }

void Scheduler::Tick(int64_t now, Batch& out) {
  ExpireLeases(now, out);
  // A lost attempt's late result is worth recording for a day; after that its
  // agent is not coming back with it.
  attempts_.ForgetLostBefore(now - kLateResultHorizonMs);
  ReleaseDelayed(now);
  EnforceDeadlines(now, out);
}

void Scheduler::ReleaseDelayed(int64_t now) {
  for (auto [job_id, index] : queue_.TakeDelayedDue(now)) {
    Job* job = FindJob(job_id);
    if (!job) continue;
    const Task& t = job->task(index);
    if (job->Replicated() ? !t.waiting || IsTerminal(t.state) : t.state != TaskState::kQueued) continue;
    job->requeued.push_back(index);
    UpdateRunnable(*job);
  }
}

void Scheduler::EnforceDeadlines(int64_t now, Batch& out) {
  for (int64_t job_id : queue_.TakeDeadlinesDue(now)) {
    Job* job = FindJob(job_id);
    if (!job || job->record.finished_at != 0) continue;
    EndUnfinishedTasks(*job, TaskState::kFailed,
                       "the job's deadline of " + FormatDuration(Millis(job->record.spec.deadline_ms)) + " passed",
                       now, out);
  }
}

void Scheduler::AcceptResult(Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out) {
  Task& t = job.task(index);
  t.outcome = std::make_unique<TaskOutcome>(std::move(outcome));
  t.checkpoint.reset();  // a finished task resumes nothing
  job.SetTaskState(index, TaskState::kDone);
  PersistTask(job, index, out);
  MaybeFinishJob(job, now, out);
}

// --- placement -------------------------------------------------------------

// The hosts that ask for work now, as the rank stage sees them: online, not
// quarantined, with slots they asked to fill and did not get.
class Scheduler::AskingFleet final : public AskingHosts {
 public:
  AskingFleet(const HostTable& hosts, int64_t online_since) : hosts_(hosts), online_since_(online_since) {}
  bool AnyRanksAbove(const JobDemand& job, int64_t value, int64_t except) const override {
    for (const auto& [id, h] : hosts_.all()) {
      if (id == except || h.asking_slots < job.spec.cpus || h.last_seen < online_since_ || h.record.quarantined ||
          h.record.revoked_at != 0 || (job.spec.memory > 0 && job.spec.memory > h.MemoryForTasks())) {
        continue;
      }
      api::MatchFacts facts(h.record.facts, h.record.labels);
      if (job.requirements.Matches(facts) && job.rank.Rank(facts) > value) return true;
    }
    return false;
  }

 private:
  const HostTable& hosts_;
  const int64_t online_since_;
};

void Scheduler::Assign(Host& host, int64_t free_slots, int64_t now, api::SyncResponse& response, Batch& out) {
  api::MatchFacts facts(host.record.facts, host.record.labels);
  AskingFleet asking(hosts_, now - config_.lease_ms);
  HostOffer offer{host.record.id, host.record.quarantined, free_slots, host.MemoryForTasks(), &facts, &asking};
  if (!placement_.HostFeasible(offer)) return;
  auto demand_of = [this](int64_t job_id) { return jobs_.at(job_id).Demand(); };
  // Jobs that have nothing more for this host now: a replicated job's queued
  // tasks may all hold a replica here already.
  std::set<int64_t> tried;
  while (offer.free_slots > 0) {
    std::optional<int64_t> chosen = placement_.SelectJob(queue_.runnable(), demand_of, tried, offer);
    if (!chosen) break;
    Job& job = jobs_.at(*chosen);
    tried.insert(*chosen);
    while (placement_.JobFeasible(job.Demand(), offer)) {
      std::optional<int64_t> next = TakeTaskFor(job, host);
      if (!next) break;
      StartAttempt(host, job, *next, now, response, out);
      offer.free_slots -= job.record.spec.cpus;
      host.asking_slots = offer.free_slots;
    }
    UpdateRunnable(job);
  }
}

void Scheduler::StartAttempt(Host& host, Job& job, int64_t index, int64_t now, api::SyncResponse& response,
                             Batch& out) {
  const auto& spec = job.record.spec;
  Task& t = job.task(index);
  int64_t attempt_id = attempts_.NewId();
  t.attempts++;
  t.live.push_back(attempt_id);
  t.host_id = host.record.id;
  if (job.Replicated()) {
    // Adaptive replication: a proven host's result may stand alone,
    // except on spot-checked tasks.
    if (t.live.size() == 1 && t.Votes().results.empty() && spec.adaptive &&
        IsProven(host.record, config_.proven_after) &&
        !IsSpotChecked(job.record.id, index, config_.spot_check_one_in)) {
      t.MutableVotes().trusted_host = host.record.id;
    }
    // The task's other replicas go to other hosts, before older work.
    if (!t.waiting && ReplicaValidation::WantedReplicas(spec, t) > 0) {
      job.requeued.push_front(index);
      t.waiting = true;
    }
  }
  job.SetTaskState(index, TaskState::kRunning);
  PersistTask(job, index, out);

  AttemptRecord record{attempt_id, job.record.id, index, host.record.id, AttemptState::kAssigned, now, 0, ""};
  out.attempts.push_back(record);
  attempts_.Add(record, spec.cpus, now + config_.lease_ms);
  host.attempts.insert(attempt_id);
  host.slots_used += spec.cpus;

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

std::optional<int64_t> Scheduler::TakeTaskFor(Job& job, const Host& host) {
  if (!job.Replicated()) {
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
    Task& t = job.task(index);
    if (!DistinctReplicaHost(ReplicaHosts(t), host.record.id)) continue;
    job.requeued.erase(job.requeued.begin() + static_cast<std::ptrdiff_t>(i));
    t.waiting = false;
    return index;
  }
  if (job.next_fresh < static_cast<int64_t>(job.tasks.size())) return job.next_fresh++;
  return std::nullopt;
}

std::vector<int64_t> Scheduler::ReplicaHosts(const Task& t) const {
  std::vector<int64_t> hosts;
  for (int64_t id : t.live) {
    if (const Attempt* a = attempts_.Find(id)) hosts.push_back(a->record.host_id);
  }
  for (const ReplicaResult& r : t.Votes().results) hosts.push_back(r.host_id);
  return hosts;
}

// --- state transitions -----------------------------------------------------

AttemptRecord Scheduler::EndAttempt(int64_t attempt_id, AttemptState state, const std::string& reason, int64_t now,
                                    Batch& out) {
  Attempt ended = attempts_.Remove(attempt_id);
  if (Host* host = hosts_.Find(ended.record.host_id)) {
    host->attempts.erase(attempt_id);
    host->slots_used -= ended.cpus;
  }
  AttemptRecord record = ended.record;
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
  Task& t = job->task(record.index);
  if (!Contains(t.live, attempt_id)) return;
  Remove(t.live, attempt_id);
  t.Distrust(record.host_id);
  attempts_.KeepLost(record);
  TaskOutcome outcome;
  outcome.attempt_id = attempt_id;
  outcome.reason = reason;
  if (t.outcome) outcome.failed_hosts = t.outcome->failed_hosts;
  KeepOwnerHistory(t.outcome, outcome);
  RetryOrFail(*job, record.index, std::move(outcome), 0, now, out);  // a lost host is not the task's fault
}

void Scheduler::FailTask(Job& job, int64_t index, TaskOutcome outcome, int64_t now, Batch& out) {
  Task& t = job.task(index);
  // A replicated task's other replicas are of no use any more.
  for (int64_t attempt : t.live) EndAttempt(attempt, AttemptState::kCancelled, "the task failed", now, out);
  t.live.clear();
  DropFromQueue(job, index);
  t.outcome = std::make_unique<TaskOutcome>(std::move(outcome));
  job.SetTaskState(index, TaskState::kFailed);
  PersistTask(job, index, out);
  MaybeFinishJob(job, now, out);
}

void Scheduler::RetryOrFail(Job& job, int64_t index, TaskOutcome outcome, int64_t delay_ms, int64_t now,
                            Batch& out) {
  Task& t = job.task(index);
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
  if (job.Replicated()) {
    AdvanceValidation(job, index, delay_ms, now, out);
    return;
  }
  job.SetTaskState(index, TaskState::kQueued);
  QueueAgain(job, index, delay_ms, now);
  PersistTask(job, index, out);
  UpdateRunnable(job);
}

void Scheduler::QueueAgain(Job& job, int64_t index, int64_t delay_ms, int64_t now) {
  if (delay_ms > 0) {
    queue_.Delay(now + delay_ms, job.record.id, index);
  } else {
    job.requeued.push_back(index);
  }
}

void Scheduler::PersistTask(const Job& job, int64_t index, Batch& out) const {
  out.tasks.push_back(job.RecordOf(index));
}

void Scheduler::MaybeFinishJob(Job& job, int64_t now, Batch& out) {
  const auto& c = job.counts;
  if (job.record.finished_at != 0 || c.queued > 0 || c.running > 0) return;
  job.record.finished_at = now;
  out.jobs.push_back(job.record);
  queue_.RemoveDeadline(job.record.created_at + job.record.spec.deadline_ms, job.record.id);
}

void Scheduler::UpdateRunnable(const Job& job) {
  queue_.SetRunnable(PriorityRank(job.record.id, job.record.spec.priority),
                     job.HasQueued() && !job.record.cancelled);
}

// --- result validation -----------------------------------------------------

void Scheduler::AdvanceValidation(Job& job, int64_t index, int64_t delay_ms, int64_t now, Batch& out) {
  Task& t = job.task(index);
  Judgement judged = validation_.Judge(job.record.spec, t, hosts_);
  switch (judged.kind) {
    case Judgement::Kind::kAccept:
      AcceptReplicated(job, index, judged.winner, judged.verdict, judged.count_reliability, now, out);
      return;
    case Judgement::Kind::kFail: {
      TaskOutcome outcome;
      if (t.outcome) outcome = *t.outcome;
      outcome.reason = judged.verdict;
      t.MutableVotes().verdict = judged.verdict;
      FailTask(job, index, std::move(outcome), now, out);
      return;
    }
    case Judgement::Kind::kWait:
      break;
  }
  job.SetTaskState(index, t.live.empty() ? TaskState::kQueued : TaskState::kRunning);
  if (judged.wanted > 0 && !t.waiting) {
    t.waiting = true;
    QueueAgain(job, index, delay_ms, now);
  }
  PersistTask(job, index, out);
  UpdateRunnable(job);
}

void Scheduler::AcceptReplicated(Job& job, int64_t index, const ReplicaResult& winner, const std::string& verdict,
                                 bool count_reliability, int64_t now, Batch& out) {
  Task& t = job.task(index);
  for (int64_t attempt : t.live) {
    EndAttempt(attempt, AttemptState::kCancelled, "not needed: the task's result was accepted", now, out);
  }
  t.live.clear();
  DropFromQueue(job, index);
  if (count_reliability) validation_.CountReliability(t.Votes(), winner.hash, hosts_, out);
  t.MutableVotes().verdict = verdict;
  t.MutableVotes().trusted_host = 0;
  t.host_id = winner.host_id;
  AcceptResult(job, index, winner.outcome, now, out);
  UpdateRunnable(job);
}

void Scheduler::DropFromQueue(Job& job, int64_t index) {
  Task& t = job.task(index);
  if (!t.waiting) return;
  t.waiting = false;
  auto& q = job.requeued;
  q.erase(std::remove(q.begin(), q.end(), index), q.end());
  queue_.ForgetDelayed(job.record.id, index);
}

std::vector<ComparisonRequest> Scheduler::TakeComparisons(size_t max) {
  return validation_.TakeComparisons(max, [this](int64_t job_id) { return std::as_const(*this).FindJob(job_id); });
}

void Scheduler::RecordComparison(int64_t job_id, int64_t index, int64_t attempt_id, const std::string& agrees_with,
                                 const std::string& difference, int64_t now, Batch& out) {
  Job* job = FindJob(job_id);
  if (!validation_.RecordComparison(job_id, job, index, attempt_id, agrees_with, difference)) return;
  AdvanceValidation(*job, index, 0, now, out);
}

// --- views -----------------------------------------------------------------

Job* Scheduler::FindJob(int64_t id) {
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : &it->second;
}

const Job* Scheduler::FindJob(int64_t id) const {
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : &it->second;
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
  const Task& t = job.task(index);
  api::TaskView v;
  v.job_id = job.record.id;
  v.index = index;
  v.state = t.state;
  v.attempts = t.attempts;
  v.host = hosts_.Name(t.host_id);
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
  v.validation = ReplicaValidation::Describe(job, t, hosts_);
  if (t.state == TaskState::kCancelled && v.reason.empty()) v.reason = "job cancelled";
  if (t.state == TaskState::kFailed && v.reason.empty()) v.reason = "the job's deadline passed before it ran";
  return v;
}

}  // namespace gleaner::server
