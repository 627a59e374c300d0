#include "server/console/usage_report.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kNov28 = 1'795'824'000'000;  // 2026-11-28T00:00:00Z

TEST(ParseReportQuery, DefaultsToSevenDaysByDay) {
  auto q = ParseReportQuery("", kNov28);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->since, kNov28 - 7 * kDay);
  EXPECT_EQ(q->by, UsageKey::kDay);
}

TEST(ParseReportQuery, ReadsSinceAndBy) {
  auto q = ParseReportQuery("by=host&since=24h", kNov28);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->since, kNov28 - kDay);
  EXPECT_EQ(q->by, UsageKey::kHost);
}

TEST(ParseReportQuery, RefusesAnUnknownKeyOrDuration) {
  auto by = ParseReportQuery("by=planet", kNov28);
  ASSERT_FALSE(by.ok());
  EXPECT_EQ(by.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(by.error().message.find("host, user or day"), std::string::npos);
  auto since = ParseReportQuery("since=soon", kNov28);
  ASSERT_FALSE(since.ok());
  EXPECT_NE(since.error().message.find("since='soon'"), std::string::npos);
}

std::vector<UsageRow> Rows() {
  return {{"pc1", "alice", kNov28 - kDay, 3'600'000, 4'000'000, 2, 0},
          {"pc2", "alice", kNov28, 1'800'000, 2'000'000, 1, 1},
          {"pc1", "bob", kNov28, 900'000, 1'000'000, 3, 0}};
}

TEST(SummarizeUsage, SumsPerDayInOrderWithATotal) {
  auto r = SummarizeUsage(Rows(), {0, UsageKey::kDay}, std::nullopt);
  EXPECT_EQ(r.by, "day");
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].key, "2026-11-27");
  EXPECT_EQ(r.lines[0].cpu_ms, 3'600'000);
  EXPECT_EQ(r.lines[1].key, "2026-11-28");
  EXPECT_EQ(r.lines[1].cpu_ms, 2'700'000);
  EXPECT_EQ(r.lines[1].tasks, 4);
  EXPECT_EQ(r.lines[1].failed, 1);
  EXPECT_EQ(r.total.key, "total");
  EXPECT_EQ(r.total.cpu_ms, 6'300'000);
  EXPECT_EQ(r.total.wall_ms, 7'000'000);
  EXPECT_EQ(r.total.tasks, 6);
}

TEST(SummarizeUsage, SumsPerHostAndPerUser) {
  auto by_host = SummarizeUsage(Rows(), {0, UsageKey::kHost}, std::nullopt);
  ASSERT_EQ(by_host.lines.size(), 2u);
  EXPECT_EQ(by_host.lines[0].key, "pc1");
  EXPECT_EQ(by_host.lines[0].cpu_ms, 4'500'000);
  auto by_user = SummarizeUsage(Rows(), {0, UsageKey::kUser}, std::nullopt);
  ASSERT_EQ(by_user.lines.size(), 2u);
  EXPECT_EQ(by_user.lines[0].key, "alice");
  EXPECT_EQ(by_user.lines[0].tasks, 3);
}

TEST(SummarizeUsage, ASubmitterSeesOnlyItsOwnWork) {
  auto r = SummarizeUsage(Rows(), {0, UsageKey::kHost}, std::string("bob"));
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].key, "pc1");
  EXPECT_EQ(r.total.cpu_ms, 900'000);
}

}  // namespace
}  // namespace gleaner::server
