// AgentLoop is the agent's control thread: it syncs with the server (renewing
// leases on running attempts, delivering pending completions and the
// checkpoints attempts uploaded, asking for work
// for the slots the owner guard allows, reporting the owner's state, taking
// the policy in force), starts one thread per assignment and kills the
// attempts the server cancels. Run() on one thread; Stop() and Wake() from any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "agent/attempt_runner.h"
#include "agent/backoff.h"
#include "agent/owner/owner_guard.h"

namespace gleaner::agent {

struct LoopTiming {
  Millis first_interval{1000};  // until the server has said lease_ms and poll_ms
  Millis cancel_grace{5000};    // SIGTERM -> SIGKILL when the server cancels
  Millis stop_grace{2000};      // ... when the agent stops: the owner wants the CPU back
};

class AgentLoop {
 public:
  AgentLoop(AttemptEnv env, int64_t slots, OwnerGuard& guard, LoopTiming timing = {});
  ~AgentLoop();

  // Returns after Stop() once every attempt has been killed and joined, or
  // with kUnauthenticated when the server no longer knows this host.
  Status Run();
  void Stop();
  // Sync now: a completion is ready.
  void Wake();
  // Facts to tell the server, with every sync until one succeeds. Before Run().
  void ReportFacts(api::HostFacts facts) { facts_unsent_ = std::move(facts); }

 private:
  struct Running {
    std::unique_ptr<KillSwitch> kill;
    std::unique_ptr<TaskControl> control;
    std::thread thread;
    int64_t cpus = 1;
    std::shared_ptr<std::atomic<bool>> finished;
  };

  api::SyncRequest BuildRequest() const;
  void Apply(const api::SyncResponse& response);
  void Start(const api::Assignment& assignment);
  void JoinFinished();
  void KillAll(KillCause cause, Millis grace);
  Millis Interval() const;
  // Sleeps until `deadline`, a Wake() or a Stop(); false once stopped.
  bool WaitUntil(std::chrono::steady_clock::time_point deadline);

  AttemptEnv env_;
  const int64_t slots_;
  OwnerGuard& guard_;
  const LoopTiming timing_;
  std::unique_ptr<ServerLink> link_;

  // Loop thread only.
  std::map<int64_t, Running> running_;
  Millis lease_{0}, poll_{0};
  bool server_away_ = false;
  std::optional<api::HostFacts> facts_unsent_;
  Backoff backoff_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;          // guarded by mu_
  bool wake_pending_ = false;  // guarded by mu_
};

}  // namespace gleaner::agent
