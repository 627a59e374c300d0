#include "server/scheduler/placement/stack.h"

#include <gtest/gtest.h>

#include <map>

namespace gleaner::server {
namespace {

class PlacementStackTest : public ::testing::Test {
 protected:
  void AddJob(int64_t id, int64_t priority, int64_t cpus, int64_t memory = 0, const std::string& requirements = "") {
    requirements_[id] = *api::Expression::ParseRequirements(requirements);
    api::JobSpec& spec = specs_[id];
    spec.priority = priority;
    spec.cpus = cpus;
    spec.memory = memory;
    ranked_.insert(PriorityRank(id, priority));
  }
  std::optional<int64_t> Select(const HostOffer& host, const std::set<int64_t>& tried = {}) const {
    return stack_.SelectJob(ranked_, demand_of_, tried, host);
  }
  JobDemand Demand(int64_t id) const { return {specs_.at(id), requirements_.at(id), no_rank_}; }

  PlacementStack stack_;
  std::map<int64_t, api::JobSpec> specs_;
  std::map<int64_t, api::Expression> requirements_;
  const api::Expression no_rank_;
  RankedJobs ranked_;
  const std::function<JobDemand(int64_t)> demand_of_ = [this](int64_t id) { return Demand(id); };
};

TEST_F(PlacementStackTest, DefaultChainRefusesAQuarantinedHost) {
  EXPECT_TRUE(stack_.HostFeasible(HostOffer{1, false, 1, 0}));
  EXPECT_FALSE(stack_.HostFeasible(HostOffer{1, true, 1, 0}));
}

TEST_F(PlacementStackTest, SelectsTheHighestRankedJobThatFits) {
  AddJob(1, 0, 1);
  AddJob(2, 5, 4);  // ranked first, but needs 4 cpus
  AddJob(3, 5, 1);
  EXPECT_EQ(Select(HostOffer{1, false, 2, 0}), 3);
  EXPECT_EQ(Select(HostOffer{1, false, 4, 0}), 2);
}

TEST_F(PlacementStackTest, SkipsJobsAlreadyTried) {
  AddJob(1, 0, 1);
  AddJob(2, 0, 1);
  EXPECT_EQ(Select(HostOffer{1, false, 1, 0}, {1}), 2);
  EXPECT_EQ(Select(HostOffer{1, false, 1, 0}, {1, 2}), std::nullopt);
}

TEST_F(PlacementStackTest, NothingFitsNothingSelected) {
  AddJob(1, 0, 1, 2048);
  EXPECT_EQ(Select(HostOffer{1, false, 1, 1024}), std::nullopt);
  EXPECT_EQ(Select(HostOffer{1, false, 0, 4096}), std::nullopt);
}

// A checker added to the chain (as requirements or quotas will be) has its say.
class RefuseJob final : public JobChecker {
 public:
  explicit RefuseJob(int64_t cpus) : cpus_(cpus) {}
  bool Feasible(const JobDemand& job, const HostOffer&) const override { return job.spec.cpus != cpus_; }

 private:
  int64_t cpus_;
};

TEST_F(PlacementStackTest, EveryCheckerOfTheChainMustAccept) {
  std::vector<std::shared_ptr<const JobChecker>> job_checks;
  job_checks.push_back(std::make_shared<ResourcesFit>());
  job_checks.push_back(std::make_shared<RefuseJob>(2));
  PlacementStack stack({}, std::move(job_checks));
  AddJob(1, 9, 2);
  AddJob(2, 0, 1);
  EXPECT_TRUE(stack.HostFeasible(HostOffer{1, true, 4, 0}));  // no host checks at all
  EXPECT_EQ(stack.SelectJob(ranked_, demand_of_, {}, HostOffer{1, false, 4, 0}), 2);
}

TEST_F(PlacementStackTest, AJobIsOfferedOnlyHostsThatMeetItsRequirements) {
  AddJob(1, 9, 1, 0, "label.site == \"lab3\"");
  AddJob(2, 0, 1);
  api::HostFacts facts;
  std::map<std::string, std::string> lab3{{"site", "lab3"}}, lab4{{"site", "lab4"}};
  api::MatchFacts in_lab3(facts, lab3), in_lab4(facts, lab4);
  HostOffer offer{1, false, 1, 0, &in_lab3};
  EXPECT_EQ(Select(offer), 1);
  offer.facts = &in_lab4;
  EXPECT_EQ(Select(offer), 2);
}

}  // namespace
}  // namespace gleaner::server
