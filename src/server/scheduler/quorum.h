// Result validation by quorum (docs/validation.md): the pure rules the
// scheduler applies to a replicated task's results. No state of its own.
//
// Two results agree when their ResultHash is equal: same exit code, same
// stdout bytes, the same output files (name and bytes). Outputs are compared
// by the SHA-256 their agents uploaded them under. A job with a tolerance
// also lets results whose hashes differ agree: the server compares their
// outputs as numbers (validation/result_comparer.h) and gives a result that
// agrees the hash of the earlier result it agreed with.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "server/store/records.h"

namespace gleaner::server {

// Extra replicas a task may get, beyond --replicas, when its results disagree.
inline constexpr int64_t kExtraReplicas = 2;

// The one definition of "the same result": a SHA-256 over the exit code (or
// signal), stdout's SHA-256 and every output's name and SHA-256, in name order.
std::string ResultHash(const TaskOutcome& outcome);

// How a task's compared results group by hash (docs/validation.md).
struct Tally {
  std::string best_hash;  // the hash most results share ("" with no results); the oldest on a tie
  int64_t best = 0;       // how many results share it
  int64_t distinct = 0;   // how many different results there are
};
Tally CountAgreement(const std::vector<ReplicaResult>& results);

// Results still waiting for a comparison (a job with a tolerance or a validator).
int64_t Uncompared(const std::vector<ReplicaResult>& results);

// The most replicas one task may get: --replicas plus kExtraReplicas.
int64_t MaxReplicas(const api::JobSpec& spec);

// How many more replicas the task needs started, given its results so far
// and `live` replicas still running: enough that, if every new one agreed
// with the largest group, the quorum would be reached; at least `replicas`
// in all, never more than MaxReplicas.
int64_t ReplicasWanted(const api::JobSpec& spec, const std::vector<ReplicaResult>& results, int64_t live);

// agreements / (agreements + disagreements); nullopt without history.
std::optional<double> Reliability(int64_t agreements, int64_t disagreements);

// A proven host has at least `proven_after` agreements and no disagreement:
// adaptive replication lets its single result stand.
bool IsProven(const HostRecord& host, int64_t proven_after);

// Spot checks keep proven hosts honest: about one task in `one_in` is always
// fully replicated, chosen by a hash of (job, index) so it is the same after
// a restart and unguessable from the index alone. one_in <= 1: every task.
bool IsSpotChecked(int64_t job_id, int64_t index, int64_t one_in);

}  // namespace gleaner::server
