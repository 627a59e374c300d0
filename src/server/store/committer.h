// Committer: group commit. Callers enqueue batches with a completion; one
// thread applies everything queued so far in one transaction (one fsync) and
// then runs the completions in enqueue order.
//
// Order is the contract: a completion runs only after its own batch and every
// batch enqueued before it are durable, so an empty batch is a barrier ("all
// I could have observed is durable"). Enqueue is thread-safe.
//
// A failed commit stops the process: memory is then ahead of the disk, and
// the only safe state to continue from is the store's (rebuilt on restart).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/histogram.h"
#include "server/store/store.h"

namespace gleaner::server {

struct CommitStats {
  int64_t commits = 0;
  int64_t records = 0;
  Histogram batch_records{{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000}};
  Histogram commit_seconds{LatencyBuckets()};
};

class Committer {
 public:
  explicit Committer(Store& store);
  ~Committer();  // drains the queue, then stops
  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  void Enqueue(Batch batch, std::function<void()> on_durable);
  // Blocks until everything enqueued before the call is durable.
  void Flush();
  CommitStats stats() const;

 private:
  struct Item {
    Batch batch;
    std::function<void()> on_durable;
  };
  void Run();

  Store& store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Item> queue_;      // guarded by mu_
  bool stopping_ = false;        // guarded by mu_
  CommitStats stats_;            // guarded by mu_
  std::thread thread_;
};

}  // namespace gleaner::server
