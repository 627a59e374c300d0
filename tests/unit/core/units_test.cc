#include "common/units.h"

#include <gtest/gtest.h>

namespace gleaner {
namespace {

TEST(ParseDuration, AcceptsUnitsAndCombinations) {
  EXPECT_EQ(ParseDuration("90s")->count(), 90'000);
  EXPECT_EQ(ParseDuration("5m")->count(), 300'000);
  EXPECT_EQ(ParseDuration("2h")->count(), 7'200'000);
  EXPECT_EQ(ParseDuration("1h30m")->count(), 5'400'000);
  EXPECT_EQ(ParseDuration("250ms")->count(), 250);
  EXPECT_EQ(ParseDuration("1d")->count(), 86'400'000);
}

TEST(ParseDuration, RejectsWithAHint) {
  for (const char* bad : {"", "5", "m5", "5x", "-5s", "1.5h"}) {
    auto r = ParseDuration(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("e.g. 90s"), std::string::npos);
  }
}

TEST(FormatDuration, RoundTrips) {
  for (const char* s : {"90ms", "1m30s", "5m", "2h", "1h30m", "2d", "0s"}) {
    EXPECT_EQ(FormatDuration(*ParseDuration(s)), std::string(s) == "90s" ? "1m30s" : s);
  }
  EXPECT_EQ(FormatDuration(Millis(90'000)), "1m30s");
  EXPECT_EQ(FormatDurationCoarse(Millis(42'400)), "42s");
  EXPECT_EQ(FormatDurationCoarse(Millis(3'720'000)), "1h2m");
}

// Found by tests/fuzz/fuzz_units: a long sum overflowed int64 (undefined
// behaviour), and a sum past 10^9 ms formatted as one number ParseDuration
// refuses.
TEST(ParseDuration, BoundsTheSumAndRoundTripsLargeValues) {
  auto huge = ParseDuration("999999999d999999999d999999999d");
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("longer than any duration"), std::string::npos) << huge.error().message;
  EXPECT_TRUE(ParseDuration("1000000000d").ok());
  auto odd = ParseDuration("5ms15411h");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(FormatDuration(*odd), "642d3h5ms");
  EXPECT_EQ(*ParseDuration(FormatDuration(*odd)), *odd);
  EXPECT_EQ(FormatDuration(Millis(1500)), "1500ms");
}

TEST(ParseSize, PowersOf1024) {
  EXPECT_EQ(*ParseSize("512"), 512);
  EXPECT_EQ(*ParseSize("1K"), 1024);
  EXPECT_EQ(*ParseSize("512M"), 512LL << 20);
  EXPECT_EQ(*ParseSize("2GiB"), 2LL << 30);
  EXPECT_EQ(*ParseSize("1.5g"), 3LL << 29);
  EXPECT_FALSE(ParseSize("lots").ok());
  EXPECT_FALSE(ParseSize("5Q").ok());
  EXPECT_EQ(FormatSize(1536), "1.5K");
  EXPECT_EQ(FormatSize(20LL << 20), "20M");
}

}  // namespace
}  // namespace gleaner
