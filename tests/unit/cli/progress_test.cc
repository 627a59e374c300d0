#include "cli/progress.h"

#include <gtest/gtest.h>

namespace gleaner::cli {
namespace {

TEST(ProgressLine, BarFillsWithFinishedTasks) {
  api::TaskCounts counts{.queued = 22, .running = 2, .done = 36, .failed = 4};
  EXPECT_EQ(ProgressLine(counts, 64, Millis(12'000), 16), "[##########......] 36/64 done · 2 running · 4 failed · 12s");
}

TEST(ProgressLine, PlainWithoutABar) {
  api::TaskCounts counts{.done = 64};
  EXPECT_EQ(ProgressLine(counts, 64, Millis(90'000), 0), "64/64 done · 0 running · 0 failed · 1m30s");
}

TEST(ProgressLine, EmptyAndFullBars) {
  EXPECT_EQ(ProgressLine({}, 0, Millis(0), 4), "[....] 0/0 done · 0 running · 0 failed · 0s");
  EXPECT_EQ(ProgressLine({.done = 3}, 3, Millis(0), 4).substr(0, 6), "[####]");
}

api::JobView Job(api::JobState state, api::TaskCounts counts) {
  api::JobView job;
  job.id = 7;
  job.spec.count = 64;
  job.state = state;
  job.counts = counts;
  job.created_at = 1'000;
  job.finished_at = 24'000;
  return job;
}

TEST(FinalSummary, SaysHowItEnded) {
  EXPECT_EQ(FinalSummary(Job(api::JobState::kDone, {.done = 64})), "job 7 done: 64/64 tasks in 23s");
  EXPECT_EQ(FinalSummary(Job(api::JobState::kFailed, {.done = 60, .failed = 4})),
            "job 7 failed after 23s: 60/64 done · 0 running · 4 failed; see gleaner tasks 7 --state failed");
  EXPECT_EQ(FinalSummary(Job(api::JobState::kCancelled, {.done = 10, .cancelled = 54})),
            "job 7 was cancelled: 10/64 done · 0 running · 0 failed · 54 cancelled");
}

TEST(IsFinished, OnlyTerminalStates) {
  EXPECT_FALSE(IsFinished(api::JobState::kQueued));
  EXPECT_FALSE(IsFinished(api::JobState::kRunning));
  EXPECT_TRUE(IsFinished(api::JobState::kDone));
  EXPECT_TRUE(IsFinished(api::JobState::kFailed));
  EXPECT_TRUE(IsFinished(api::JobState::kCancelled));
}

}  // namespace
}  // namespace gleaner::cli
