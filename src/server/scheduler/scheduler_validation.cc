// Scheduler, part two: result validation (docs/validation.md). Replicas'
// results are counted into groups of agreeing results; a quorum of one group
// is accepted; a job with a tolerance has results whose hashes differ
// compared off the strand (TakeComparisons / RecordComparison).
#include <algorithm>

#include "server/scheduler/quorum.h"
#include "server/scheduler/scheduler.h"

namespace gleaner::server {

using api::AttemptState;
using api::TaskState;

bool Scheduler::HoldsReplica(const Task& t, int64_t host_id) const {
  for (int64_t id : t.live) {
    auto it = attempts_.find(id);
    if (it != attempts_.end() && it->second.record.host_id == host_id) return true;
  }
  const auto& results = t.Votes().results;
  return std::any_of(results.begin(), results.end(),
                     [&](const ReplicaResult& r) { return r.host_id == host_id; });
}

int64_t Scheduler::WantedReplicas(const Job& job, const Task& t) const {
  if (IsTerminal(t.state) && t.live.empty()) return 0;
  // A proven host's replica is running: its result will do.
  if (t.Votes().trusted_host != 0 && !t.live.empty()) return 0;
  return ReplicasWanted(job.record.spec, t.Votes().results, static_cast<int64_t>(t.live.size()));
}

void Scheduler::AdvanceValidation(Job& job, int64_t index, int64_t delay_ms, int64_t now, Batch& out) {
  Task& t = job.tasks[static_cast<size_t>(index)];
  Validation& v = t.MutableVotes();
  const auto& spec = job.record.spec;
  if (v.trusted_host != 0) {
    auto mine = std::find_if(v.results.begin(), v.results.end(),
                             [&](const ReplicaResult& r) { return r.host_id == v.trusted_host; });
    if (mine != v.results.end()) {
      auto host = hosts_.find(v.trusted_host);
      if (host != hosts_.end() && IsProven(host->second.record, config_.proven_after)) {
        ReplicaResult winner = *mine;
        std::string verdict = "accepted from proven host " + host->second.record.facts.hostname + " alone (" +
                              std::to_string(host->second.record.agreements) +
                              " agreeing results, none disagreeing; adaptive replication)";
        AcceptReplicated(job, index, winner, verdict, false, now, out);
        return;
      }
      v.trusted_host = 0;  // proven no more: its result needs a quorum like any other
    }
  }
  Tally tally = CountAgreement(v.results);
  if (tally.best >= spec.quorum) {
    auto first = std::find_if(v.results.begin(), v.results.end(),
                              [&](const ReplicaResult& r) { return r.hash == tally.best_hash; });
    ReplicaResult winner = *first;
    std::string verdict = "accepted: " + std::to_string(tally.best) + " of " + std::to_string(v.results.size()) +
                          " results agree (quorum " + std::to_string(spec.quorum) + ")";
    AcceptReplicated(job, index, winner, verdict, tally.best >= 2, now, out);
    return;
  }
  int64_t wanted = WantedReplicas(job, t);
  if (wanted == 0 && t.live.empty() && Uncompared(v.results) == 0) {
    TaskOutcome outcome;
    if (t.outcome) outcome = *t.outcome;
    outcome.reason = "results disagree: " + std::to_string(v.results.size()) + " hosts returned " +
                     std::to_string(tally.distinct) + " different results and at most " + std::to_string(tally.best) +
                     " agreed, short of the quorum of " + std::to_string(spec.quorum) + " (gave up at " +
                     std::to_string(MaxReplicas(spec)) + " replicas: --replicas " + std::to_string(spec.replicas) +
                     " plus " + std::to_string(kExtraReplicas) + ")";
    // With a tolerance, say where they differed: the submitter may have set it too tight.
    auto differing = std::find_if(v.results.begin(), v.results.end(),
                                  [](const ReplicaResult& r) { return !r.difference.empty(); });
    if (differing != v.results.end()) {
      outcome.reason += "; " + HostName(differing->host_id) + "'s result differs from " +
                        HostName(v.results.front().host_id) + "'s: " + differing->difference;
    }
    v.verdict = outcome.reason;
    FailTask(job, index, std::move(outcome), now, out);
    return;
  }
  SetTaskState(job, index, t.live.empty() ? TaskState::kQueued : TaskState::kRunning);
  if (wanted > 0 && !t.waiting) {
    t.waiting = true;
    QueueAgain(job, index, delay_ms, now);
  }
  PersistTask(job, index, out);
  UpdateRunnable(job);
}

void Scheduler::AcceptReplicated(Job& job, int64_t index, const ReplicaResult& winner, const std::string& verdict,
                                 bool count_reliability, int64_t now, Batch& out) {
  Task& t = job.tasks[static_cast<size_t>(index)];
  for (int64_t attempt : t.live) {
    EndAttempt(attempt, AttemptState::kCancelled, "not needed: the task's result was accepted", now, out);
  }
  t.live.clear();
  DropFromQueue(job, index);
  if (count_reliability) {
    for (const auto& r : t.Votes().results) {
      auto host = hosts_.find(r.host_id);
      if (host == hosts_.end() || !r.compared) continue;  // not yet compared: no judgement
      HostRecord& record = host->second.record;
      (r.hash == winner.hash ? record.agreements : record.disagreements)++;
      if (r.hash != winner.hash && !record.quarantined && record.disagreements >= config_.quarantine_disagreements &&
          record.disagreements > record.agreements) {
        record.quarantined = true;
        record.quarantine_reason = "its results disagreed with the accepted result on " +
                                   std::to_string(record.disagreements) + " of " +
                                   std::to_string(record.agreements + record.disagreements) +
                                   " replicated tasks (check its hardware and agent, then `gleaner host release`)";
      }
      out.hosts.push_back(record);
    }
  }
  t.MutableVotes().verdict = verdict;
  t.MutableVotes().trusted_host = 0;
  t.host_id = winner.host_id;
  AcceptResult(job, index, winner.outcome, now, out);
  UpdateRunnable(job);
}

void Scheduler::DropFromQueue(Job& job, int64_t index) {
  Task& t = job.tasks[static_cast<size_t>(index)];
  if (!t.waiting) return;
  t.waiting = false;
  auto& q = job.requeued;
  q.erase(std::remove(q.begin(), q.end(), index), q.end());
  std::erase_if(delayed_, [&](const auto& d) { return std::get<1>(d) == job.record.id && std::get<2>(d) == index; });
}

std::string Scheduler::ValidationText(const Job& job, const Task& t) const {
  if (!Replicated(job)) return "";
  const Validation& v = t.Votes();
  if (!v.verdict.empty()) return v.verdict;
  if (IsTerminal(t.state)) return "";
  if (v.trusted_host != 0 && !t.live.empty()) return "running on proven host " + HostName(v.trusted_host) + " alone";
  Tally tally = CountAgreement(v.results);
  int64_t comparing = Uncompared(v.results);
  return std::to_string(tally.best) + " of " + std::to_string(job.record.spec.quorum) + " agreeing results so far (" +
         std::to_string(v.results.size()) + " results, " + std::to_string(t.live.size()) + " replicas running" +
         (comparing > 0 ? ", " + std::to_string(comparing) + " being compared" : "") + ")";
}

// --- fuzzy comparison --------------------------------------------------------

void Scheduler::AddReplicaResult(Job& job, int64_t index, ReplicaResult result, int64_t now, Batch& out) {
  Task& t = job.tasks[static_cast<size_t>(index)];
  Validation& v = t.MutableVotes();
  if (job.record.spec.Fuzzy() && !v.results.empty()) {
    // Equal bytes agree without reading them; anything else waits its turn
    // behind earlier results, so groups form in the order results arrived.
    bool waiting = Uncompared(v.results) > 0;
    bool known = std::any_of(v.results.begin(), v.results.end(),
                             [&](const ReplicaResult& r) { return r.compared && r.hash == result.hash; });
    result.compared = known && !waiting;
    if (!result.compared) to_compare_.insert({job.record.id, index});
  }
  v.results.push_back(std::move(result));
  AdvanceValidation(job, index, 0, now, out);
}

std::vector<ComparisonRequest> Scheduler::TakeComparisons(size_t max) {
  std::vector<ComparisonRequest> taken;
  for (auto it = to_compare_.begin(); it != to_compare_.end() && taken.size() < max;) {
    auto [job_id, index] = *it;
    it = to_compare_.erase(it);
    Job* job = FindJob(job_id);
    if (!job || comparing_.contains({job_id, index})) continue;
    const Task& t = job->tasks[static_cast<size_t>(index)];
    if (IsTerminal(t.state)) continue;
    const auto& results = t.Votes().results;
    auto candidate = std::find_if(results.begin(), results.end(), [](const ReplicaResult& r) { return !r.compared; });
    if (candidate == results.end()) continue;
    const auto& spec = job->record.spec;
    ComparisonRequest request{job_id, index, *candidate, {}, spec.tolerance, spec.abs_tolerance, spec.validator};
    for (const auto& r : results) {
      if (!r.compared) continue;
      bool seen = std::any_of(request.groups.begin(), request.groups.end(),
                              [&](const ReplicaResult& g) { return g.hash == r.hash; });
      if (!seen) request.groups.push_back(r);
    }
    comparing_.insert({job_id, index});
    taken.push_back(std::move(request));
  }
  return taken;
}

void Scheduler::RecordComparison(int64_t job_id, int64_t index, int64_t attempt_id, const std::string& agrees_with,
                                 const std::string& difference, int64_t now, Batch& out) {
  comparing_.erase({job_id, index});
  Job* job = FindJob(job_id);
  if (!job || index < 0 || index >= static_cast<int64_t>(job->tasks.size())) return;
  Task& t = job->tasks[static_cast<size_t>(index)];
  if (IsTerminal(t.state) || !t.validation) return;
  auto& results = t.validation->results;
  auto mine = std::find_if(results.begin(), results.end(),
                           [&](const ReplicaResult& r) { return r.attempt_id == attempt_id && !r.compared; });
  if (mine == results.end()) return;
  bool joins = !agrees_with.empty() && std::any_of(results.begin(), results.end(), [&](const ReplicaResult& r) {
    return r.compared && r.hash == agrees_with;
  });
  if (joins) {
    mine->hash = agrees_with;
  } else {
    mine->difference = difference;
  }
  mine->compared = true;
  if (Uncompared(results) > 0) to_compare_.insert({job_id, index});
  AdvanceValidation(*job, index, 0, now, out);
}

}  // namespace gleaner::server
