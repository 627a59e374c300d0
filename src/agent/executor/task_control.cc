#include "agent/executor/task_control.h"

#include "common/clock.h"

namespace gleaner::agent {
namespace {

// A task that flaps between suspended and running for hours would otherwise
// grow its history without bound; the first events tell the story.
constexpr size_t kMaxEvents = 32;

}  // namespace

Status TaskControl::Suspend() { return Set(true); }
Status TaskControl::Resume() { return Set(false); }

Status TaskControl::Set(bool suspend) {
  std::lock_guard lock(mu_);
  if (suspended_ == suspend) return OkStatus();
  if (task_ != nullptr) GLEANER_RETURN_IF_ERROR(suspend ? task_->Pause() : task_->Unpause());
  suspended_ = suspend;
  if (events_.size() < kMaxEvents) events_.push_back({NowUnixMillis(), attempt_id_, suspend ? "suspended" : "resumed"});
  return OkStatus();
}

bool TaskControl::suspended() const {
  std::lock_guard lock(mu_);
  return suspended_;
}

void TaskControl::Note(const std::string& what) {
  std::lock_guard lock(mu_);
  events_.push_back({NowUnixMillis(), attempt_id_, what});
}

std::vector<api::AttemptEvent> TaskControl::events() const {
  std::lock_guard lock(mu_);
  return events_;
}

Status TaskControl::Attach(Pausable& task) {
  std::lock_guard lock(mu_);
  task_ = &task;
  return suspended_ ? task.Pause() : OkStatus();
}

void TaskControl::Detach() {
  std::lock_guard lock(mu_);
  task_ = nullptr;
}

}  // namespace gleaner::agent
