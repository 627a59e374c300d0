// ReplicaValidation: result validation of replicated jobs (docs/validation.md)
// over the state the scheduler holds. It judges a task's results with the
// rules of quorum.h (accept, fail, or wait for more replicas), counts the
// hosts' reliability, and keeps the queue of results waiting for a fuzzy
// comparison off the strand. The scheduler applies what it decides. Pure
// state, no I/O; owned by the scheduler, so not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/types.h"
#include "server/scheduler/host_table.h"
#include "server/scheduler/job.h"
#include "server/store/records.h"

namespace gleaner::server {

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

// What a replicated task's results decide after a result, failure or loss.
struct Judgement {
  enum class Kind { kAccept, kFail, kWait };
  Kind kind = Kind::kWait;
  ReplicaResult winner;            // kAccept: the result accepted
  std::string verdict;             // kAccept: how it was accepted; kFail: why the task failed
  bool count_reliability = false;  // kAccept: the quorum judges the hosts that voted
  int64_t wanted = 0;              // kWait: replicas still to start
};

struct ValidationRules {
  int64_t proven_after = 10;
  int64_t quarantine_disagreements = 3;
};

class ReplicaValidation {
 public:
  explicit ReplicaValidation(ValidationRules rules) : rules_(rules) {}

  // How many more replicas of the task to start now (0 once it has ended, or
  // while a proven host's replica runs).
  static int64_t WantedReplicas(const api::JobSpec& spec, const Task& t);
  // The task's votes so far, or its verdict, in words (the task view).
  static std::string Describe(const Job& job, const Task& t, const HostTable& hosts);

  // Judges the task's results. A trusted host that is proven no more loses
  // the task's trust first, so its result needs a quorum like any other.
  Judgement Judge(const api::JobSpec& spec, Task& t, const HostTable& hosts) const;
  // Counts each compared vote as agreeing or not with `winner_hash` on its
  // host's record, quarantining a host that disagreed too often.
  void CountReliability(const Validation& votes, const std::string& winner_hash, HostTable& hosts, Batch& out) const;

  // Adds a successful replica's result to the task's votes: it votes at once
  // when its hash is known (or it is the first), else it waits for a comparison.
  void AddResult(const Job& job, int64_t index, Task& t, ReplicaResult result);
  // The task (job, index) has results waiting to be compared.
  void WantComparison(int64_t job_id, int64_t index) { to_compare_.insert({job_id, index}); }
  // Up to `max` comparisons nobody is working on, each marked as taken; one
  // per task at a time, oldest result first.
  std::vector<ComparisonRequest> TakeComparisons(size_t max, const std::function<const Job*(int64_t)>& find_job);
  // Records a comparison's answer for the result of `attempt_id` of task
  // (job_id, index); `job` is null when that job is gone. False when it
  // changes nothing (the task ended, or the result is not waiting).
  bool RecordComparison(int64_t job_id, Job* job, int64_t index, int64_t attempt_id, const std::string& agrees_with,
                        const std::string& difference);

 private:
  const ValidationRules rules_;
  // Tasks (job, index) with a result waiting to be compared, and those whose
  // comparison is being made now. Memory only: rebuilt from the results.
  std::set<std::pair<int64_t, int64_t>> to_compare_;
  std::set<std::pair<int64_t, int64_t>> comparing_;
};

}  // namespace gleaner::server
