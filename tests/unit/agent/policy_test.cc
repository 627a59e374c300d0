// Table tests of the owner policy (agent/policy.h): every rule, its
// hysteresis and the words it gives, with the clock and the owner as inputs.
#include "agent/policy.h"

#include <gtest/gtest.h>

namespace gleaner::agent {
namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kNow = 1'000'000'000;
constexpr int kMondayNoon = 12 * 60;
constexpr int kMondayNight = 20 * 60;

struct Row {
  const char* name;
  api::Policy policy;
  Situation situation;
  RunState state;
  bool run;
  bool vacate;
  const char* why;  // a part of the words
};

OwnerView IdleFor(int64_t ms) { return {true, false, kNow - ms, std::nullopt, false}; }
OwnerView ActiveNow() { return {true, true, std::nullopt, std::nullopt, false}; }
OwnerView WithLoad(OwnerView v, double load) {
  v.non_grid_load = load;
  return v;
}
api::Policy Policy(std::string window = "", std::optional<double> max_load = std::nullopt) {
  api::Policy p;
  p.start_after_ms = 5 * kMin;
  p.vacate_after_ms = 10 * kMin;
  p.window = std::move(window);
  p.max_load = max_load;
  return p;
}

class PolicyTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(PolicyTableTest, Decides) {
  const Row& row = GetParam();
  auto window = api::WeekWindow::Parse(row.policy.window);
  ASSERT_TRUE(window.ok()) << window.error().message;
  Decision d = Decide(row.policy, *window, row.situation);
  EXPECT_EQ(d.state, row.state) << RunStateName(d.state) << ": " << d.why;
  EXPECT_EQ(d.run, row.run);
  EXPECT_EQ(d.vacate, row.vacate);
  EXPECT_NE(d.why.find(row.why), std::string::npos) << d.why;
}

Situation At(OwnerView owner, bool running = false, std::optional<int64_t> suspended_for = std::nullopt,
             int minute = kMondayNoon) {
  Situation s;
  s.owner = owner;
  s.now_ms = kNow;
  s.minute_of_week = minute;
  s.tasks_running = running;
  if (suspended_for) s.suspended_since = kNow - *suspended_for;
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, PolicyTableTest,
    ::testing::Values(
        Row{"no_owner_source_runs", Policy(), At(OwnerView{}), RunState::kRunning, true, false, "no owner activity"},
        Row{"idle_long_enough_runs", Policy(), At(IdleFor(6 * kMin)), RunState::kRunning, true, false, "owner idle for 6m"},
        Row{"idle_too_briefly_waits", Policy(), At(IdleFor(12'000)), RunState::kWaitingForIdle, false, false,
            "owner active 12s ago; starts after 5m idle"},
        Row{"owner_back_suspends_at_once", Policy(), At(ActiveNow(), true), RunState::kSuspended, false, false,
            "owner active now; starts after 5m idle; suspending"},
        Row{"still_back_stays_suspended", Policy(), At(IdleFor(kMin), false, 3 * kMin), RunState::kSuspended, false,
            false, "suspended 3m, vacates after 10m"},
        Row{"back_too_long_vacates", Policy(), At(ActiveNow(), false, 10 * kMin), RunState::kVacating, false, true,
            "so vacating"},
        Row{"idle_again_resumes", Policy(), At(IdleFor(5 * kMin), false, 7 * kMin), RunState::kRunning, true, false,
            "work runs"},
        Row{"load_above_limit_suspends", Policy("", 0.3), At(WithLoad(IdleFor(6 * kMin), 0.5), true),
            RunState::kSuspended, false, false, "non-grid load 0.50 above 0.30"},
        Row{"load_below_limit_keeps_running", Policy("", 0.3), At(WithLoad(IdleFor(6 * kMin), 0.27), true),
            RunState::kRunning, true, false, "work runs"},
        Row{"hysteresis_holds_suspension", Policy("", 0.3), At(WithLoad(IdleFor(6 * kMin), 0.27), false, kMin),
            RunState::kSuspended, false, false, "above 0.24"},
        Row{"load_well_below_resumes", Policy("", 0.3), At(WithLoad(IdleFor(6 * kMin), 0.2), false, kMin),
            RunState::kRunning, true, false, "work runs"},
        Row{"load_ignored_without_max_load", Policy(), At(WithLoad(IdleFor(6 * kMin), 0.9), true), RunState::kRunning,
            true, false, "work runs"},
        Row{"outside_window_waits", Policy("Mon-Fri 19:00-07:00, all weekend"), At(IdleFor(6 * kMin)),
            RunState::kOutsideWindow, false, false, "opens Mon 19:00"},
        Row{"inside_window_runs", Policy("Mon-Fri 19:00-07:00, all weekend"),
            At(IdleFor(6 * kMin), false, std::nullopt, kMondayNight), RunState::kRunning, true, false, "work runs"},
        Row{"window_closing_suspends", Policy("Mon 12:30-13:00"), At(IdleFor(6 * kMin), true), RunState::kSuspended,
            false, false, "outside the window"},
        Row{"battery_waits", Policy(), At(OwnerView{true, false, kNow - 6 * kMin, std::nullopt, true}),
            RunState::kOnBattery, false, false, "on battery"},
        Row{"battery_allowed_runs",
            [] {
              auto p = Policy();
              p.on_battery = true;
              return p;
            }(),
            At(OwnerView{true, false, kNow - 6 * kMin, std::nullopt, true}), RunState::kRunning, true, false,
            "work runs"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(PolicyTest, VacateReasonNamesTheCauseAndTheTime) {
  auto window = api::WeekWindow::Parse("");
  Decision d = Decide(Policy(), *window, At(ActiveNow(), false, 10 * kMin));
  EXPECT_EQ(d.vacate_reason, "vacated: owner active for 10m");
}

TEST(PolicyTest, MaxCpusPassesThrough) {
  auto window = api::WeekWindow::Parse("");
  api::Policy p = Policy();
  p.max_cpus = 2;
  EXPECT_EQ(Decide(p, *window, At(IdleFor(6 * kMin))).max_cpus, 2);
}

}  // namespace
}  // namespace gleaner::agent
