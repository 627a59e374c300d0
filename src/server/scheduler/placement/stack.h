// PlacementStack chains the stages that place work on a host (as Nomad's
// scheduler/stack.go): host feasibility, then the ranked jobs, then
// selection of the first job that every job checker accepts. Pure and
// constant after construction (copies share the stateless checkers); the
// scheduler holds one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "api/types.h"
#include "server/scheduler/placement/feasibility.h"
#include "server/scheduler/placement/rank.h"

namespace gleaner::server {

class PlacementStack {
 public:
  // Today's chain: NotQuarantined; ResourcesFit, MeetsRequirements,
  // PrefersNoBetterHost.
  PlacementStack();
  PlacementStack(std::vector<std::shared_ptr<const HostChecker>> host_checks,
                 std::vector<std::shared_ptr<const JobChecker>> job_checks);

  // Whether every host checker lets the host take work.
  bool HostFeasible(const HostOffer& host) const;
  // Whether every job checker lets the host run one more task of `job`.
  bool JobFeasible(const JobDemand& job, const HostOffer& host) const;
  // Selection: the first job of `ranked`, not in `tried`, that the host may
  // run a task of; nullopt when there is none. `demand_of` gives a job's demand.
  std::optional<int64_t> SelectJob(const RankedJobs& ranked,
                                   const std::function<JobDemand(int64_t)>& demand_of,
                                   const std::set<int64_t>& tried, const HostOffer& host) const;

 private:
  const std::vector<std::shared_ptr<const HostChecker>> host_checks_;
  const std::vector<std::shared_ptr<const JobChecker>> job_checks_;
};

}  // namespace gleaner::server
