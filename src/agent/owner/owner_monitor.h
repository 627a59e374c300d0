// OwnerMonitor runs the activity sources on a thread of its own, combines
// their readings into one OwnerView and hands it to a listener on every tick
// and at once when a source has news (its wake handle, e.g. inotify): yielding to the owner never
// waits for the network or the agent loop. Start once; Stop from any thread.
#pragma once

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "agent/executor/waitable_event.h"
#include "agent/owner/activity_source.h"
#include "agent/policy.h"

namespace gleaner::agent {

class OwnerMonitor {
 public:
  using Listener = std::function<void(const OwnerView&)>;

  static Result<std::unique_ptr<OwnerMonitor>> Create(std::vector<std::unique_ptr<ActivitySource>> sources,
                                                      Listener listener);
  ~OwnerMonitor();  // stops and joins

  void Start();
  void Stop();

 private:
  OwnerMonitor(std::vector<std::unique_ptr<ActivitySource>> sources, Listener listener,
               std::unique_ptr<WaitableEvent> stop)
      : sources_(std::move(sources)), listener_(std::move(listener)), stop_(std::move(stop)) {}
  void Loop();
  OwnerView Sample();

  std::vector<std::unique_ptr<ActivitySource>> sources_;  // monitor thread only
  const Listener listener_;
  const std::unique_ptr<WaitableEvent> stop_;
  std::thread thread_;
};

// Several sources at once: the owner is active if any says so, idle since
// the latest activity any saw; the highest load and any battery count.
OwnerView Combine(const std::vector<ActivityReading>& readings);

}  // namespace gleaner::agent
