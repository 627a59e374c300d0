// The weekly window grammar and policy validation (api/policy_spec.h).
#include "api/policy_spec.h"

#include <gtest/gtest.h>

namespace gleaner::api {
namespace {

constexpr int kDay = 24 * 60;
int At(int day, int hour, int minute = 0) { return day * kDay + hour * 60 + minute; }

TEST(WeekWindowTest, EmptyIsAlwaysOpen) {
  auto w = WeekWindow::Parse("");
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->OpenAt(0));
  EXPECT_TRUE(w->OpenAt(kMinutesPerWeek - 1));
}

TEST(WeekWindowTest, NightsOnWeekdaysAndAllWeekend) {
  auto w = WeekWindow::Parse("Mon-Fri 19:00-07:00, all weekend");
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_FALSE(w->OpenAt(At(0, 12)));    // Monday noon
  EXPECT_TRUE(w->OpenAt(At(0, 19)));     // Monday evening
  EXPECT_TRUE(w->OpenAt(At(1, 6, 59)));  // Tuesday early, past midnight
  EXPECT_FALSE(w->OpenAt(At(1, 7)));
  EXPECT_TRUE(w->OpenAt(At(5, 12)));     // Saturday
  EXPECT_FALSE(w->OpenAt(At(0, 3)));     // the weekend ends at Sunday midnight
}

TEST(WeekWindowTest, RangeWithoutDaysIsEveryDay) {
  auto w = WeekWindow::Parse("12:00-13:00");
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->OpenAt(At(3, 12, 30)));
  EXPECT_FALSE(w->OpenAt(At(3, 13)));
  EXPECT_EQ(w->NextOpening(At(3, 13)), At(4, 12));
  EXPECT_EQ(FormatMinuteOfWeek(At(4, 12)), "Fri 12:00");
}

TEST(WeekWindowTest, RefusesWordsItDoesNotKnow) {
  auto w = WeekWindow::Parse("Mon-Fri after dinner");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(w.error().message.find("'after'"), std::string::npos) << w.error().message;
}

TEST(ValidatePolicyTest, DefaultsAreValid) { EXPECT_TRUE(ValidatePolicy(Policy{}).ok()); }

TEST(ValidatePolicyTest, RefusesSelfDefeatingPolicies) {
  Policy never;
  never.window = "Mon 09:00-09:00, Tue 10:00-10:00";
  auto closed = ValidatePolicy(never);
  ASSERT_FALSE(closed.ok());
  EXPECT_NE(closed.message().find("never opens"), std::string::npos) << closed.message();
  Policy zero_load;
  zero_load.max_load = 0;
  auto st = ValidatePolicy(zero_load);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("no work would ever start"), std::string::npos);
  Policy instant_vacate;
  instant_vacate.vacate_after_ms = 0;
  EXPECT_EQ(ValidatePolicy(instant_vacate).code(), ErrorCode::kInvalidArgument);
  Policy negative_cpus;
  negative_cpus.max_cpus = -1;
  EXPECT_EQ(ValidatePolicy(negative_cpus).code(), ErrorCode::kInvalidArgument);
}

TEST(ValidatePolicyTest, CpuShareAndMemoryCapsMustLeaveRoomForWork) {
  Policy p;
  p.max_cpu_percent = 50;
  p.max_memory = int64_t{4} << 30;
  EXPECT_TRUE(ValidatePolicy(p).ok());
  p.max_cpu_percent = 100;  // no cap, said plainly
  EXPECT_TRUE(ValidatePolicy(p).ok());
  p.max_cpu_percent = 101;
  auto over = ValidatePolicy(p);
  ASSERT_EQ(over.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(over.message().find("from 1 to 100"), std::string::npos) << over.message();
  p.max_cpu_percent = -5;
  EXPECT_EQ(ValidatePolicy(p).code(), ErrorCode::kInvalidArgument);
  p.max_cpu_percent = 0;
  p.max_memory = 1 << 20;  // 1 MiB: no task could start
  auto tiny = ValidatePolicy(p);
  ASSERT_EQ(tiny.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(tiny.message().find("no task could even start"), std::string::npos) << tiny.message();
  p.max_memory = -1;
  EXPECT_EQ(ValidatePolicy(p).code(), ErrorCode::kInvalidArgument);
}


// Every clause costs up to a week of minutes, so an admin's typo (or a
// 64 MiB body) must not keep the server parsing for minutes.
TEST(WeekWindowTest, RefusesAnAbsurdlyLongWindow) {
  std::string longest = "Mon";
  while (longest.size() + 5 <= kMaxWindowBytes) longest += ", Mon";
  EXPECT_TRUE(WeekWindow::Parse(longest).ok());
  auto r = WeekWindow::Parse(longest + ", Tue-Wed");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("at most 1000 are allowed"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace gleaner::api
