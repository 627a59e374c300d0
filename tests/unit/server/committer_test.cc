#include "server/store/committer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace gleaner::server {
namespace {

// Records each Apply so the test can see how batches were grouped.
class RecordingStore : public Store {
 public:
  Status Apply(const Batch& batch) override {
    std::lock_guard lock(mu);
    applied.push_back(batch.jobs.size());
    return OkStatus();
  }
  Result<Snapshot> LoadAll() override { return Snapshot{}; }
  Result<std::vector<UsageRow>> Usage(int64_t) override { return std::vector<UsageRow>{}; }
  Result<std::vector<api::AuditEvent>> Audit(const AuditQuery&) override { return std::vector<api::AuditEvent>{}; }
  std::mutex mu;
  std::vector<size_t> applied;
};

Batch OneJob(int64_t id) {
  Batch b;
  b.jobs.push_back({id, {}, "x", 0, false, 0});
  return b;
}

TEST(Committer, CompletionsRunInOrderAfterTheirBatchIsApplied) {
  RecordingStore store;
  std::vector<int> order;
  std::mutex mu;
  {
    Committer committer(store);
    for (int i = 0; i < 100; ++i) {
      committer.Enqueue(OneJob(i), [&, i] {
        std::lock_guard lock(mu);
        order.push_back(i);
      });
    }
    committer.Flush();
    size_t total = 0;
    for (size_t n : store.applied) total += n;
    EXPECT_EQ(total, 100u);
    EXPECT_LE(store.applied.size(), 100u);
  }
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
}

TEST(Committer, EmptyBatchesAreBarriersWithoutATransaction) {
  RecordingStore store;
  Committer committer(store);
  std::atomic<int> ran{0};
  committer.Enqueue({}, [&] { ran++; });
  committer.Flush();
  EXPECT_EQ(ran.load(), 1);
  EXPECT_TRUE(store.applied.empty());
}

}  // namespace
}  // namespace gleaner::server
