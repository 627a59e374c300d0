#include "server/store/committer.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <future>

namespace gleaner::server {

Committer::Committer(Store& store) : store_(store), thread_([this] { Run(); }) {}

Committer::~Committer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Committer::Enqueue(Batch batch, std::function<void()> on_durable) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back({std::move(batch), std::move(on_durable)});
  }
  cv_.notify_one();
}

void Committer::Flush() {
  std::promise<void> done;
  Enqueue({}, [&] { done.set_value(); });
  done.get_future().wait();
}

CommitStats Committer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void Committer::Run() {
  for (;;) {
    std::vector<Item> items;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is drained
      items.swap(queue_);
    }
    Batch merged;
    for (auto& item : items) merged.Append(std::move(item.batch));
    if (!merged.empty()) {
      auto started = std::chrono::steady_clock::now();
      Status st = store_.Apply(merged);
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      if (!st.ok()) {
        spdlog::critical("commit of {} records failed: {}; stopping so the next start recovers from the store",
                         merged.size(), st.message());
        std::abort();
      }
      std::lock_guard lock(mu_);
      stats_.commits++;
      stats_.records += static_cast<int64_t>(merged.size());
      stats_.batch_records.Observe(static_cast<double>(merged.size()));
      stats_.commit_seconds.Observe(took.count());
    }
    for (auto& item : items) {
      if (item.on_durable) item.on_durable();
    }
  }
}

}  // namespace gleaner::server
