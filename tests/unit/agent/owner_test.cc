// The owner side of the agent: combining sources, the activity file, and the
// guard that suspends, resumes and vacates tracked tasks.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <fstream>

#include "agent/owner/linux/activity_file_source.h"
#include "agent/owner/owner_guard.h"
#include "agent/owner/owner_monitor.h"
#include "common/clock.h"
#include "test_support.h"

namespace gleaner::agent {
namespace {

using testing::TempDir;

// Counts pauses, as a task that records being stopped would.
class FakeTask : public Pausable {
 public:
  Status Pause() override {
    paused = true;
    return OkStatus();
  }
  Status Unpause() override {
    paused = false;
    return OkStatus();
  }
  bool paused = false;
};

TEST(CombineTest, AnyActiveWinsAndTheLatestActivityCounts) {
  ActivityReading x11{false, 1000, std::nullopt, std::nullopt};
  ActivityReading file{false, 5000, std::nullopt, std::nullopt};
  ActivityReading load{false, std::nullopt, 0.4, std::nullopt};
  OwnerView view = Combine({x11, file, load});
  EXPECT_TRUE(view.sensed);
  EXPECT_FALSE(view.active_now);
  EXPECT_EQ(view.idle_since, 5000);
  EXPECT_EQ(view.non_grid_load, 0.4);
  EXPECT_TRUE(Combine({x11, ActivityReading{true}}).active_now);
  EXPECT_FALSE(Combine({load}).sensed);
}

TEST(ActivityFileSourceTest, ReadsActiveAndIdleSinceMtime) {
  TempDir tmp;
  std::string path = tmp / "owner";
  auto source = ActivityFileSource::Open(path);
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto nothing = (*source)->Read(0);
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->active_now || nothing->idle_since);

  std::ofstream(path) << "active\n";
  auto active = (*source)->Read(0);
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(active->active_now);

  std::ofstream(path) << "idle\n";
  utimbuf times{1'700'000'000, 1'700'000'000};
  ::utime(path.c_str(), &times);
  auto idle = (*source)->Read(0);
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(idle->idle_since, int64_t{1'700'000'000} * 1000);

  std::ofstream(path) << "away\n";
  auto bad = (*source)->Read(0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("write 'active' or 'idle'"), std::string::npos);
}

class OwnerGuardTest : public ::testing::Test {
 protected:
  OwnerGuardTest() : guard_([this] { ++changes_; }, Millis(50)), control_(7), kill_(KillSwitch::Create().value()) {
    api::Policy policy;
    policy.start_after_ms = 0;
    policy.vacate_after_ms = 60'000;
    guard_.SetPolicy(policy);
  }
  static OwnerView Idle() { return {true, false, NowUnixMillis() - 1000, std::nullopt, false}; }
  static OwnerView Active() { return {true, true, std::nullopt, std::nullopt, false}; }

  int changes_ = 0;
  OwnerGuard guard_;
  TaskControl control_;
  std::unique_ptr<KillSwitch> kill_;
  FakeTask task_;
};

TEST_F(OwnerGuardTest, SuspendsOnReturnAndResumesWhenIdle) {
  ASSERT_TRUE(control_.Attach(task_).ok());
  guard_.Track(7, control_, *kill_);
  guard_.Observe(Idle());
  EXPECT_FALSE(task_.paused);
  EXPECT_EQ(guard_.SlotsAllowed(4), 4);

  guard_.Observe(Active());
  EXPECT_TRUE(task_.paused);
  EXPECT_EQ(guard_.SlotsAllowed(4), 0);
  EXPECT_EQ(guard_.Activity().owner, "active");
  EXPECT_EQ(guard_.Activity().run_state, "suspended");

  guard_.Observe(Idle());
  EXPECT_FALSE(task_.paused);
  EXPECT_EQ(changes_, 3);
  auto events = control_.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].what, "suspended");
  EXPECT_EQ(events[1].what, "resumed");
  control_.Detach();
}

TEST_F(OwnerGuardTest, VacatesWhenSuspendedTooLong) {
  api::Policy policy;
  policy.start_after_ms = 0;
  policy.vacate_after_ms = 1;
  guard_.SetPolicy(policy);
  ASSERT_TRUE(control_.Attach(task_).ok());
  guard_.Track(7, control_, *kill_);
  guard_.Observe(Active());
  std::this_thread::sleep_for(Millis(5));
  guard_.Observe(Active());
  auto request = kill_->request();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->cause, KillCause::kVacated);
  EXPECT_EQ(request->Words().rfind("vacated: owner active for", 0), 0u) << request->Words();
  EXPECT_FALSE(task_.paused) << "a vacated task runs through its grace, to checkpoint";
  guard_.Observe(Active());
  EXPECT_FALSE(task_.paused);
  control_.Detach();
}

TEST_F(OwnerGuardTest, WorkStartingWhileTheOwnerIsBackIsSuspendedAtOnce) {
  guard_.Observe(Active());
  guard_.Track(7, control_, *kill_);
  EXPECT_TRUE(control_.suspended());
  ASSERT_TRUE(control_.Attach(task_).ok());
  EXPECT_TRUE(task_.paused);
  control_.Detach();
}

}  // namespace
}  // namespace gleaner::agent
