#include "server/console/sample_ring.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

api::StatsSample At(int64_t at) {
  api::StatsSample s;
  s.at = at;
  return s;
}

std::vector<int64_t> Times(const std::vector<api::StatsSample>& samples) {
  std::vector<int64_t> at;
  for (const auto& s : samples) at.push_back(s.at);
  return at;
}

TEST(SampleRing, KeepsTheNewestSamplesOldestFirst) {
  SampleRing ring(3);
  for (int64_t t = 1; t <= 5; ++t) ring.Add(At(t));
  EXPECT_EQ(Times(ring.Samples()), (std::vector<int64_t>{3, 4, 5}));
}

TEST(SampleRing, SinceReturnsOnlyLaterSamplesOldestFirst) {
  SampleRing ring(10);
  for (int64_t t : {1000, 2000, 3000, 4000}) ring.Add(At(t));
  EXPECT_EQ(Times(ring.Samples(2000)), (std::vector<int64_t>{3000, 4000})) << "a sample at `since` is one the caller holds";
  EXPECT_EQ(Times(ring.Samples(2500)), (std::vector<int64_t>{3000, 4000}));
  EXPECT_EQ(Times(ring.Samples(0)), (std::vector<int64_t>{1000, 2000, 3000, 4000}));
}

TEST(SampleRing, SinceTheNewestSampleIsEmpty) {
  SampleRing ring(10);
  EXPECT_TRUE(ring.Samples(0).empty());
  for (int64_t t : {1000, 2000}) ring.Add(At(t));
  EXPECT_TRUE(ring.Samples(2000).empty());
  EXPECT_TRUE(ring.Samples(9000).empty()) << "a caller ahead of the ring gets nothing, not everything";
}

TEST(SampleRing, SinceFiltersWhenTheClockStepsBack) {
  SampleRing ring(10);
  for (int64_t t : {1000, 5000, 2000, 6000}) ring.Add(At(t));
  EXPECT_EQ(Times(ring.Samples(4000)), (std::vector<int64_t>{5000, 6000}));
}

}  // namespace
}  // namespace gleaner::server
