#include "api/types.h"

#include <array>
#include <utility>

namespace gleaner::api {
namespace {

template <typename E, size_t N>
const char* NameOf(const std::array<std::pair<E, const char*>, N>& names, E e) {
  for (const auto& [v, n] : names) {
    if (v == e) return n;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> FromName(const std::array<std::pair<E, const char*>, N>& names, const std::string& s) {
  for (const auto& [v, n] : names) {
    if (s == n) return v;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<Role, const char*>, 4> kRoles = {
    {{Role::kAdmin, "admin"}, {Role::kSubmitter, "submitter"}, {Role::kViewer, "viewer"}, {Role::kAgent, "agent"}}};
constexpr std::array<std::pair<TaskState, const char*>, 5> kTaskStates = {
    {{TaskState::kQueued, "queued"}, {TaskState::kRunning, "running"}, {TaskState::kDone, "done"},
     {TaskState::kFailed, "failed"}, {TaskState::kCancelled, "cancelled"}}};
constexpr std::array<std::pair<JobState, const char*>, 5> kJobStates = {
    {{JobState::kQueued, "queued"}, {JobState::kRunning, "running"}, {JobState::kDone, "done"},
     {JobState::kFailed, "failed"}, {JobState::kCancelled, "cancelled"}}};
constexpr std::array<std::pair<AttemptState, const char*>, 7> kAttemptStates = {
    {{AttemptState::kAssigned, "assigned"}, {AttemptState::kRunning, "running"},
     {AttemptState::kSucceeded, "succeeded"}, {AttemptState::kFailed, "failed"},
     {AttemptState::kLost, "lost"}, {AttemptState::kCancelled, "cancelled"},
     {AttemptState::kVacated, "vacated"}}};

}  // namespace

const char* RoleName(Role r) { return NameOf(kRoles, r); }
const char* TaskStateName(TaskState s) { return NameOf(kTaskStates, s); }
const char* JobStateName(JobState s) { return NameOf(kJobStates, s); }
const char* AttemptStateName(AttemptState s) { return NameOf(kAttemptStates, s); }
std::optional<Role> RoleFromName(const std::string& s) { return FromName(kRoles, s); }
std::optional<TaskState> TaskStateFromName(const std::string& s) { return FromName(kTaskStates, s); }
std::optional<JobState> JobStateFromName(const std::string& s) { return FromName(kJobStates, s); }
std::optional<AttemptState> AttemptStateFromName(const std::string& s) { return FromName(kAttemptStates, s); }

}  // namespace gleaner::api
