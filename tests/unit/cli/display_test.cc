#include "cli/display.h"

#include <gtest/gtest.h>

namespace gleaner::cli {
namespace {

TEST(Age, CoarseAndNeverNegative) {
  EXPECT_EQ(Age(1'000, 91'000), "1m30s");
  EXPECT_EQ(Age(0, 7'200'000), "2h");
  EXPECT_EQ(Age(5'000, 1'000), "0s");  // clocks of server and client may disagree
}

TEST(LocalTime, DashForNotYet) { EXPECT_EQ(LocalTime(0), "-"); }

TEST(CountsText, ShowsCancelledOnlyWhenAny) {
  api::TaskCounts counts{.queued = 22, .running = 2, .done = 40, .failed = 0};
  EXPECT_EQ(CountsText(counts, 64), "40/64 done · 2 running · 0 failed");
  counts.cancelled = 3;
  EXPECT_EQ(CountsText(counts, 64), "40/64 done · 2 running · 0 failed · 3 cancelled");
}

TEST(ShellLine, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(ShellLine({"./gleaner", "--index", "{i}", "--out", "tile-{i}.ppm"}),
            "./gleaner --index {i} --out tile-{i}.ppm");
  EXPECT_EQ(ShellLine({"sh", "-c", "echo it's $HOME", ""}), "sh -c 'echo it'\\''s $HOME' ''");
}

}  // namespace
}  // namespace gleaner::cli
