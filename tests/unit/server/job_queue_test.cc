#include "server/scheduler/job_queue.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

TEST(JobQueueTest, RunnableJobsInRankOrder) {
  JobQueue q;
  q.SetRunnable(PriorityRank(1, 0), true);
  q.SetRunnable(PriorityRank(2, 3), true);
  q.SetRunnable(PriorityRank(3, 0), true);
  q.SetRunnable(PriorityRank(3, 0), false);
  EXPECT_EQ(q.runnable(), (RankedJobs{PriorityRank(2, 3), PriorityRank(1, 0)}));
}

TEST(JobQueueTest, DelayedTasksComeDueEarliestFirst) {
  JobQueue q;
  q.Delay(300, 1, 0);
  q.Delay(100, 2, 5);
  q.Delay(200, 1, 1);
  EXPECT_EQ(q.TakeDelayedDue(250), (std::vector<std::pair<int64_t, int64_t>>{{2, 5}, {1, 1}}));
  EXPECT_TRUE(q.TakeDelayedDue(250).empty());
  EXPECT_EQ(q.TakeDelayedDue(300), (std::vector<std::pair<int64_t, int64_t>>{{1, 0}}));
}

TEST(JobQueueTest, ForgetsATasksOrAJobsDelays) {
  JobQueue q;
  q.Delay(100, 1, 0);
  q.Delay(100, 1, 1);
  q.Delay(100, 2, 0);
  q.ForgetDelayed(1, 1);
  EXPECT_EQ(q.TakeDelayedDue(100), (std::vector<std::pair<int64_t, int64_t>>{{1, 0}, {2, 0}}));
  q.Delay(100, 1, 0);
  q.Delay(100, 2, 0);
  q.ForgetDelayed(1);
  EXPECT_EQ(q.TakeDelayedDue(100), (std::vector<std::pair<int64_t, int64_t>>{{2, 0}}));
}

TEST(JobQueueTest, DeadlinesComeDueOnceEach) {
  JobQueue q;
  q.AddDeadline(500, 1);
  q.AddDeadline(400, 2);
  q.AddDeadline(600, 3);
  q.RemoveDeadline(600, 3);
  EXPECT_TRUE(q.TakeDeadlinesDue(399).empty());
  EXPECT_EQ(q.TakeDeadlinesDue(1000), (std::vector<int64_t>{2, 1}));
  EXPECT_TRUE(q.TakeDeadlinesDue(1000).empty());
}

}  // namespace
}  // namespace gleaner::server
