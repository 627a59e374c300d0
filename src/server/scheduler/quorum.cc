#include "server/scheduler/quorum.h"

#include <algorithm>
#include <map>

#include "common/sha256.h"

namespace gleaner::server {

std::string ResultHash(const TaskOutcome& o) {
  std::vector<std::pair<std::string, std::string>> outputs;
  for (const auto& f : o.outputs) outputs.emplace_back(f.name, f.sha256);
  std::sort(outputs.begin(), outputs.end());
  // Each field on its own line and names NUL-terminated, so no two different
  // results can spell the same text.
  std::string text = "gleaner result v1\n";
  text += "exit " + (o.exit_code ? std::to_string(*o.exit_code) : "-") + "\n";
  text += "signal " + (o.signal ? std::to_string(*o.signal) : "-") + "\n";
  text += "stdout " + (o.stdout_ref ? o.stdout_ref->sha256 : "-") + "\n";
  for (const auto& [name, sha] : outputs) {
    text += "output ";
    text += name;
    text.push_back('\0');
    text += sha + "\n";
  }
  return Sha256Hex(text);
}

Tally CountAgreement(const std::vector<ReplicaResult>& results) {
  std::map<std::string, int64_t> counts;
  Tally t;
  for (const auto& r : results) {
    if (!r.compared) continue;
    int64_t n = ++counts[r.hash];
    if (n > t.best) {
      t.best = n;
      t.best_hash = r.hash;
    }
  }
  t.distinct = static_cast<int64_t>(counts.size());
  return t;
}

int64_t Uncompared(const std::vector<ReplicaResult>& results) {
  return static_cast<int64_t>(
      std::count_if(results.begin(), results.end(), [](const ReplicaResult& r) { return !r.compared; }));
}

int64_t MaxReplicas(const api::JobSpec& spec) { return spec.replicas + kExtraReplicas; }

int64_t ReplicasWanted(const api::JobSpec& spec, const std::vector<ReplicaResult>& results, int64_t live) {
  // A result still being compared is counted like a running replica: it may
  // yet join the largest group.
  int64_t uncompared = Uncompared(results);
  auto n = static_cast<int64_t>(results.size()) - uncompared;
  live += uncompared;
  int64_t missing = std::max<int64_t>(0, spec.quorum - CountAgreement(results).best);
  int64_t target = std::min(std::max(spec.replicas, n + missing), MaxReplicas(spec));
  return std::max<int64_t>(0, target - n - live);
}

std::optional<double> Reliability(int64_t agreements, int64_t disagreements) {
  if (agreements + disagreements <= 0) return std::nullopt;
  return static_cast<double>(agreements) / static_cast<double>(agreements + disagreements);
}

bool IsProven(const HostRecord& host, int64_t proven_after) {
  return proven_after > 0 && host.agreements >= proven_after && host.disagreements == 0;
}

bool IsSpotChecked(int64_t job_id, int64_t index, int64_t one_in) {
  if (one_in <= 1) return true;
  // splitmix64 of (job, index): well spread, and stable across restarts.
  uint64_t x = static_cast<uint64_t>(job_id) * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(index);
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x % static_cast<uint64_t>(one_in) == 0;
}

}  // namespace gleaner::server
