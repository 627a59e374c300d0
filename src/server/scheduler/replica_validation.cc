#include "server/scheduler/replica_validation.h"

#include <algorithm>

#include "server/scheduler/quorum.h"

namespace gleaner::server {

int64_t ReplicaValidation::WantedReplicas(const api::JobSpec& spec, const Task& t) {
  if (IsTerminal(t.state) && t.live.empty()) return 0;
  // A proven host's replica is running: its result will do.
  if (t.Votes().trusted_host != 0 && !t.live.empty()) return 0;
  return ReplicasWanted(spec, t.Votes().results, static_cast<int64_t>(t.live.size()));
}

Judgement ReplicaValidation::Judge(const api::JobSpec& spec, Task& t, const HostTable& hosts) const {
  Validation& v = t.MutableVotes();
  Judgement j;
  if (v.trusted_host != 0) {
    auto mine = std::find_if(v.results.begin(), v.results.end(),
                             [&](const ReplicaResult& r) { return r.host_id == v.trusted_host; });
    if (mine != v.results.end()) {
      const Host* host = hosts.Find(v.trusted_host);
      if (host && IsProven(host->record, rules_.proven_after)) {
        j.kind = Judgement::Kind::kAccept;
        j.winner = *mine;
        j.verdict = "accepted from proven host " + host->record.facts.hostname + " alone (" +
                    std::to_string(host->record.agreements) +
                    " agreeing results, none disagreeing; adaptive replication)";
        return j;
      }
      v.trusted_host = 0;  // proven no more: its result needs a quorum like any other
    }
  }
  Tally tally = CountAgreement(v.results);
  if (tally.best >= spec.quorum) {
    auto first = std::find_if(v.results.begin(), v.results.end(),
                              [&](const ReplicaResult& r) { return r.hash == tally.best_hash; });
    j.kind = Judgement::Kind::kAccept;
    j.winner = *first;
    j.verdict = "accepted: " + std::to_string(tally.best) + " of " + std::to_string(v.results.size()) +
                " results agree (quorum " + std::to_string(spec.quorum) + ")";
    j.count_reliability = tally.best >= 2;
    return j;
  }
  j.wanted = WantedReplicas(spec, t);
  if (j.wanted == 0 && t.live.empty() && Uncompared(v.results) == 0) {
    j.kind = Judgement::Kind::kFail;
    j.verdict = "results disagree: " + std::to_string(v.results.size()) + " hosts returned " +
                std::to_string(tally.distinct) + " different results and at most " + std::to_string(tally.best) +
                " agreed, short of the quorum of " + std::to_string(spec.quorum) + " (gave up at " +
                std::to_string(MaxReplicas(spec)) + " replicas: --replicas " + std::to_string(spec.replicas) +
                " plus " + std::to_string(kExtraReplicas) + ")";
    // With a tolerance, say where they differed: the submitter may have set it too tight.
    auto differing = std::find_if(v.results.begin(), v.results.end(),
                                  [](const ReplicaResult& r) { return !r.difference.empty(); });
    if (differing != v.results.end()) {
      j.verdict += "; " + hosts.Name(differing->host_id) + "'s result differs from " +
                   hosts.Name(v.results.front().host_id) + "'s: " + differing->difference;
    }
    return j;
  }
  return j;
}

void ReplicaValidation::CountReliability(const Validation& votes, const std::string& winner_hash, HostTable& hosts,
                                         Batch& out) const {
  for (const auto& r : votes.results) {
    Host* host = hosts.Find(r.host_id);
    if (!host || !r.compared) continue;  // not yet compared: no judgement
    HostRecord& record = host->record;
    (r.hash == winner_hash ? record.agreements : record.disagreements)++;
    if (r.hash != winner_hash && !record.quarantined && record.disagreements >= rules_.quarantine_disagreements &&
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

std::string ReplicaValidation::Describe(const Job& job, const Task& t, const HostTable& hosts) {
  if (!job.Replicated()) return "";
  const Validation& v = t.Votes();
  if (!v.verdict.empty()) return v.verdict;
  if (IsTerminal(t.state)) return "";
  if (v.trusted_host != 0 && !t.live.empty()) return "running on proven host " + hosts.Name(v.trusted_host) + " alone";
  Tally tally = CountAgreement(v.results);
  int64_t comparing = Uncompared(v.results);
  return std::to_string(tally.best) + " of " + std::to_string(job.record.spec.quorum) + " agreeing results so far (" +
         std::to_string(v.results.size()) + " results, " + std::to_string(t.live.size()) + " replicas running" +
         (comparing > 0 ? ", " + std::to_string(comparing) + " being compared" : "") + ")";
}

// --- fuzzy comparison --------------------------------------------------------

void ReplicaValidation::AddResult(const Job& job, int64_t index, Task& t, ReplicaResult result) {
  Validation& v = t.MutableVotes();
  if (job.record.spec.Fuzzy() && !v.results.empty()) {
    // Equal bytes agree without reading them; anything else waits its turn
    // behind earlier results, so groups form in the order results arrived.
    bool waiting = Uncompared(v.results) > 0;
    bool known = std::any_of(v.results.begin(), v.results.end(),
                             [&](const ReplicaResult& r) { return r.compared && r.hash == result.hash; });
    result.compared = known && !waiting;
    if (!result.compared) WantComparison(job.record.id, index);
  }
  v.results.push_back(std::move(result));
}

std::vector<ComparisonRequest> ReplicaValidation::TakeComparisons(
    size_t max, const std::function<const Job*(int64_t)>& find_job) {
  std::vector<ComparisonRequest> taken;
  for (auto it = to_compare_.begin(); it != to_compare_.end() && taken.size() < max;) {
    auto [job_id, index] = *it;
    it = to_compare_.erase(it);
    const Job* job = find_job(job_id);
    if (!job || comparing_.contains({job_id, index})) continue;
    const Task& t = job->task(index);
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

bool ReplicaValidation::RecordComparison(int64_t job_id, Job* job, int64_t index, int64_t attempt_id,
                                         const std::string& agrees_with, const std::string& difference) {
  comparing_.erase({job_id, index});
  if (!job || index < 0 || index >= static_cast<int64_t>(job->tasks.size())) return false;
  Task& t = job->task(index);
  if (IsTerminal(t.state) || !t.validation) return false;
  auto& results = t.validation->results;
  auto mine = std::find_if(results.begin(), results.end(),
                           [&](const ReplicaResult& r) { return r.attempt_id == attempt_id && !r.compared; });
  if (mine == results.end()) return false;
  bool joins = !agrees_with.empty() && std::any_of(results.begin(), results.end(), [&](const ReplicaResult& r) {
    return r.compared && r.hash == agrees_with;
  });
  if (joins) {
    mine->hash = agrees_with;
  } else {
    mine->difference = difference;
  }
  mine->compared = true;
  if (Uncompared(results) > 0) WantComparison(job_id, index);
  return true;
}

}  // namespace gleaner::server
