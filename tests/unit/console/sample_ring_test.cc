#include "server/console/sample_ring.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

TEST(SampleRing, KeepsTheNewestSamplesOldestFirst) {
  SampleRing ring(3);
  for (int64_t t = 1; t <= 5; ++t) {
    api::StatsSample s;
    s.at = t;
    ring.Add(s);
  }
  auto samples = ring.Samples();
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].at, 3);
  EXPECT_EQ(samples[2].at, 5);
}

}  // namespace
}  // namespace gleaner::server
