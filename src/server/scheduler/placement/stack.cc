#include "server/scheduler/placement/stack.h"

#include <algorithm>

namespace gleaner::server {

namespace {

std::vector<std::shared_ptr<const HostChecker>> DefaultHostChecks() {
  std::vector<std::shared_ptr<const HostChecker>> checks;
  checks.push_back(std::make_shared<NotQuarantined>());
  return checks;
}

std::vector<std::shared_ptr<const JobChecker>> DefaultJobChecks() {
  std::vector<std::shared_ptr<const JobChecker>> checks;
  checks.push_back(std::make_shared<ResourcesFit>());
  checks.push_back(std::make_shared<MeetsRequirements>());
  checks.push_back(std::make_shared<PrefersNoBetterHost>());  // last: it looks at other hosts
  return checks;
}

}  // namespace

PlacementStack::PlacementStack() : PlacementStack(DefaultHostChecks(), DefaultJobChecks()) {}

PlacementStack::PlacementStack(std::vector<std::shared_ptr<const HostChecker>> host_checks,
                               std::vector<std::shared_ptr<const JobChecker>> job_checks)
    : host_checks_(std::move(host_checks)), job_checks_(std::move(job_checks)) {}

bool PlacementStack::HostFeasible(const HostOffer& host) const {
  return std::all_of(host_checks_.begin(), host_checks_.end(), [&](const auto& c) { return c->Feasible(host); });
}

bool PlacementStack::JobFeasible(const JobDemand& job, const HostOffer& host) const {
  return std::all_of(job_checks_.begin(), job_checks_.end(), [&](const auto& c) { return c->Feasible(job, host); });
}

std::optional<int64_t> PlacementStack::SelectJob(const RankedJobs& ranked,
                                                 const std::function<JobDemand(int64_t)>& demand_of,
                                                 const std::set<int64_t>& tried, const HostOffer& host) const {
  for (const RankKey& key : ranked) {
    int64_t job_id = RankedJob(key);
    if (tried.contains(job_id)) continue;
    if (JobFeasible(demand_of(job_id), host)) return job_id;
  }
  return std::nullopt;
}

}  // namespace gleaner::server
