#include "server/scheduler/placement/rank.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace gleaner::server {
namespace {

std::vector<int64_t> Order(const RankedJobs& ranked) {
  std::vector<int64_t> jobs;
  for (const auto& key : ranked) jobs.push_back(RankedJob(key));
  return jobs;
}

TEST(PriorityRankTest, HigherPriorityFirst) {
  RankedJobs ranked{PriorityRank(1, 0), PriorityRank(2, 5), PriorityRank(3, -1)};
  EXPECT_EQ(Order(ranked), (std::vector<int64_t>{2, 1, 3}));
}

TEST(PriorityRankTest, OlderJobFirstAmongEquals) {
  RankedJobs ranked{PriorityRank(9, 1), PriorityRank(4, 1), PriorityRank(6, 1)};
  EXPECT_EQ(Order(ranked), (std::vector<int64_t>{4, 6, 9}));
}

TEST(PriorityRankTest, KeyNamesItsJob) { EXPECT_EQ(RankedJob(PriorityRank(42, 3)), 42); }

// Other asking hosts, by rank value: whether one above `value` could take the job.
class Others final : public AskingHosts {
 public:
  explicit Others(std::vector<int64_t> values) : values_(std::move(values)) {}
  bool AnyRanksAbove(const JobDemand&, int64_t value, int64_t) const override {
    for (int64_t v : values_) {
      if (v > value) return true;
    }
    return false;
  }

 private:
  std::vector<int64_t> values_;
};

TEST(PrefersNoBetterHostTest, AHostIsPassedOverWhileABetterOneAsks) {
  api::JobSpec spec;
  api::Expression none;
  api::Expression by_memory = *api::Expression::ParseRank("memory");
  api::HostFacts facts;
  facts.memory = 8;
  std::map<std::string, std::string> labels;
  api::MatchFacts match(facts, labels);
  Others bigger({16}), smaller({4, 8});
  PrefersNoBetterHost check;
  HostOffer offer{1, false, 1, 8, &match, &bigger};
  EXPECT_FALSE(check.Feasible(JobDemand{spec, none, by_memory}, offer));
  EXPECT_TRUE(check.Feasible(JobDemand{spec, none, none}, offer));  // no rank: no preference
  offer.others = &smaller;  // equal or lower: this host will do
  EXPECT_TRUE(check.Feasible(JobDemand{spec, none, by_memory}, offer));
  offer.others = nullptr;
  EXPECT_TRUE(check.Feasible(JobDemand{spec, none, by_memory}, offer));
}

}  // namespace
}  // namespace gleaner::server
