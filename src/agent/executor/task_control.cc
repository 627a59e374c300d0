#include "agent/executor/task_control.h"

#include "common/clock.h"

namespace gleaner::agent {
namespace {

// A task that flaps between suspended and running for hours would otherwise
// grow its history without bound; the first events tell the story.
constexpr size_t kMaxEvents = 32;

}  // namespace

Status TaskControl::Suspend() {
  std::lock_guard lock(mu_);
  return Update(true, throttled_);
}

Status TaskControl::Resume() {
  std::lock_guard lock(mu_);
  return Update(false, throttled_);
}

Status TaskControl::Throttle(bool throttled) {
  std::lock_guard lock(mu_);
  return Update(suspended_, throttled);
}

Status TaskControl::Update(bool suspend, bool throttle) {
  bool was_paused = suspended_ || throttled_, pause = suspend || throttle;
  if (task_ != nullptr && pause != was_paused) {
    GLEANER_RETURN_IF_ERROR(pause ? task_->Pause() : task_->Unpause());
  }
  throttled_ = throttle;
  if (suspended_ == suspend) return OkStatus();
  suspended_ = suspend;
  auto now = Clock::now();
  if (suspend) {
    suspended_at_ = now;
  } else if (suspended_at_) {
    suspended_before_ += std::chrono::duration_cast<std::chrono::milliseconds>(now - *suspended_at_);
    suspended_at_.reset();
  }
  if (events_.size() < kMaxEvents) events_.push_back({NowUnixMillis(), attempt_id_, suspend ? "suspended" : "resumed"});
  return OkStatus();
}

bool TaskControl::suspended() const {
  std::lock_guard lock(mu_);
  return suspended_;
}

std::chrono::milliseconds TaskControl::SuspendedTotal(Clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto total = suspended_before_;
  if (suspended_at_ && now > *suspended_at_) {
    total += std::chrono::duration_cast<std::chrono::milliseconds>(now - *suspended_at_);
  }
  return total;
}

void TaskControl::Note(const std::string& what) {
  std::lock_guard lock(mu_);
  events_.push_back({NowUnixMillis(), attempt_id_, what});
}

std::vector<api::AttemptEvent> TaskControl::events() const {
  std::lock_guard lock(mu_);
  return events_;
}

void TaskControl::set_address_space_limit(int64_t bytes) {
  std::lock_guard lock(mu_);
  address_space_limit_ = bytes;
}

int64_t TaskControl::address_space_limit() const {
  std::lock_guard lock(mu_);
  return address_space_limit_;
}

Status TaskControl::Attach(Pausable& task) {
  std::lock_guard lock(mu_);
  task_ = &task;
  return suspended_ || throttled_ ? task.Pause() : OkStatus();
}

void TaskControl::Detach() {
  std::lock_guard lock(mu_);
  task_ = nullptr;
}

}  // namespace gleaner::agent
