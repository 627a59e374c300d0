#include "server/scheduler/attempt_table.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

AttemptRecord Started(int64_t id, int64_t host_id) {
  AttemptRecord r;
  r.id = id;
  r.host_id = host_id;
  return r;
}

TEST(AttemptTableTest, IdsContinueAfterTheHighestStored) {
  AttemptTable t;
  t.RestoreIds(41);
  EXPECT_EQ(t.NewId(), 42);
  EXPECT_EQ(t.NewId(), 43);
  EXPECT_EQ(t.started(), 43);
}

TEST(AttemptTableTest, FindsALiveAttemptOnlyOnItsHost) {
  AttemptTable t;
  t.Add(Started(1, 7), 2, 1000);
  EXPECT_NE(t.FindOn(1, 7), nullptr);
  EXPECT_EQ(t.FindOn(1, 8), nullptr);
  EXPECT_EQ(t.Remove(1).cpus, 2);
  EXPECT_EQ(t.Find(1), nullptr);
  EXPECT_EQ(t.live(), 0u);
}

TEST(AttemptTableTest, LeasesExpireInIdOrder) {
  AttemptTable t;
  t.Add(Started(5, 1), 1, 100);
  t.Add(Started(2, 1), 1, 100);
  t.Add(Started(3, 1), 1, 200);
  EXPECT_EQ(t.ExpiredBy(100), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(t.ExpiredBy(200), (std::vector<int64_t>{2, 3, 5}));
}

TEST(AttemptTableTest, ALostAttemptIsTakenBackOnceByItsHost) {
  AttemptTable t;
  AttemptRecord lost = Started(9, 4);
  lost.ended_at = 1000;
  t.KeepLost(lost);
  EXPECT_FALSE(t.TakeLost(9, 5));
  EXPECT_TRUE(t.TakeLost(9, 4));
  EXPECT_FALSE(t.TakeLost(9, 4));
  t.KeepLost(lost);
  t.ForgetLostBefore(1001);
  EXPECT_FALSE(t.TakeLost(9, 4));
}

}  // namespace
}  // namespace gleaner::server
