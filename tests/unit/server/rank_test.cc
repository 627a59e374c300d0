#include "server/scheduler/placement/rank.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace gleaner::server
