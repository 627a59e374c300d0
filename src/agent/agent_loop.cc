#include "agent/agent_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace gleaner::agent {

using Clock = std::chrono::steady_clock;

AgentLoop::AgentLoop(AttemptEnv env, int64_t slots, OwnerGuard& guard, LoopTiming timing)
    : env_(std::move(env)), slots_(slots), guard_(guard), timing_(timing), link_(env_.links()) {}

AgentLoop::~AgentLoop() {
  KillAll(KillCause::kAgentStopping, timing_.stop_grace);
}

Status AgentLoop::Run() {
  for (;;) {
    JoinFinished();
    api::SyncRequest request = BuildRequest();
    auto response = link_->Sync(request);
    Millis wait;
    if (response.ok()) {
      env_.checkpoints->Delivered(request.checkpoints);
      facts_unsent_.reset();
      if (server_away_) spdlog::info("the server is back");
      server_away_ = false;
      backoff_.Reset();
      Apply(*response);
      wait = Interval();
    } else if (response.error().code == ErrorCode::kUnauthenticated) {
      KillAll(KillCause::kAgentStopping, timing_.stop_grace);
      return Unauthenticated("the server rejected this host's credential (" + response.error().message +
                             "); the host was removed or its credential revoked. Delete " +
                             env_.dirs.CredentialFile() + " and start the agent again with --join TOKEN");
    } else {
      // Away (kUnavailable) or answering badly (5xx): either way, retry and
      // keep the work; giving up would throw away every running task.
      if (!server_away_) {
        spdlog::warn("cannot sync with the server: {}; running tasks go on and results are kept",
                     response.error().message);
      }
      server_away_ = true;
      wait = backoff_.Next();
    }
    if (!WaitUntil(Clock::now() + wait)) break;
  }
  KillAll(KillCause::kAgentStopping, timing_.stop_grace);
  return OkStatus();
}

void AgentLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
}

void AgentLoop::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_pending_ = true;
  }
  wake_.notify_all();
}

api::SyncRequest AgentLoop::BuildRequest() const {
  api::SyncRequest request;
  request.slots = slots_;
  request.completions = env_.pending.All();
  int64_t used = 0;
  for (const auto& [id, attempt] : running_) {
    // Once its completion is pending, an attempt is reported by that alone.
    if (env_.pending.Holds(id)) continue;
    request.running.push_back(id);
    used += attempt.cpus;
  }
  request.free_slots = std::max<int64_t>(0, guard_.SlotsAllowed(slots_) - used);
  // A driver that cannot isolate tasks (and may not run them without) asks for none.
  if (env_.driver.capabilities().isolation == Isolation::kUnavailable) request.free_slots = 0;
  request.activity = guard_.Activity();
  request.memory = guard_.MemoryOffered();  // the policy's memory cap, for the scheduler
  request.checkpoints = env_.checkpoints->Pending();
  request.facts = facts_unsent_;
  return request;
}

void AgentLoop::Apply(const api::SyncResponse& response) {
  lease_ = Millis(response.lease_ms);
  poll_ = Millis(response.poll_ms);
  if (response.policy) guard_.SetPolicy(*response.policy);
  for (int64_t id : response.accepted) {
    if (Status forgotten = env_.pending.Forget(id); !forgotten.ok()) spdlog::warn("{}", forgotten.message());
  }
  for (int64_t id : response.cancel) {
    auto it = running_.find(id);
    if (it == running_.end()) continue;
    spdlog::info("attempt {}: cancelled by the server", id);
    (void)it->second.control->Resume();  // a suspended task could not act on SIGTERM
    it->second.kill->Pull(KillCause::kCancelled, timing_.cancel_grace);
  }
  for (const auto& assignment : response.assignments) Start(assignment);
}

void AgentLoop::Start(const api::Assignment& assignment) {
  int64_t id = assignment.attempt_id;
  if (running_.contains(id) || env_.pending.Holds(id)) return;  // a repeated assignment: we have it already
  auto kill = KillSwitch::Create();
  if (!kill.ok()) {
    // Left out of `running`, the attempt counts as lost and its task is requeued.
    spdlog::error("attempt {}: cannot start: {}", id, kill.error().message);
    return;
  }
  spdlog::info("attempt {}: starting task {} of job {}", id, assignment.index, assignment.job_id);
  Running attempt{std::move(*kill), std::make_unique<TaskControl>(id), {}, std::max<int64_t>(1, assignment.cpus),
                  std::make_shared<std::atomic<bool>>()};
  guard_.Track(id, *attempt.control, *attempt.kill);
  attempt.thread = std::thread([this, assignment, kill = attempt.kill.get(), control = attempt.control.get(),
                                finished = attempt.finished] {
    Status done = RunAttempt(env_, assignment, *kill, *control);
    if (!done.ok()) spdlog::error("attempt {}: its result is lost: {}", assignment.attempt_id, done.message());
    *finished = true;
    Wake();
  });
  running_.emplace(id, std::move(attempt));
}

void AgentLoop::JoinFinished() {
  for (auto it = running_.begin(); it != running_.end();) {
    if (!*it->second.finished) {
      ++it;
      continue;
    }
    it->second.thread.join();
    guard_.Forget(it->first);
    it = running_.erase(it);
  }
}

void AgentLoop::KillAll(KillCause cause, Millis grace) {
  for (auto& [id, attempt] : running_) attempt.kill->Pull(cause, grace);
  for (auto& [id, attempt] : running_) {
    attempt.thread.join();
    guard_.Forget(id);
  }
  running_.clear();
}

Millis AgentLoop::Interval() const {
  bool busy = std::any_of(running_.begin(), running_.end(),
                          [&](const auto& entry) { return !env_.pending.Holds(entry.first); });
  if (busy) return lease_.count() > 0 ? lease_ / 3 : timing_.first_interval;
  return poll_.count() > 0 ? poll_ : timing_.first_interval;
}

bool AgentLoop::WaitUntil(Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  wake_.wait_until(lock, deadline, [&] { return stop_ || wake_pending_; });
  wake_pending_ = false;
  return !stop_;
}

}  // namespace gleaner::agent
