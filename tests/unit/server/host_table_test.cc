#include "server/scheduler/host_table.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

api::EnrollRequest Request(const std::string& name, int64_t slots) {
  api::EnrollRequest r;
  r.facts.hostname = name;
  r.facts.memory = 8LL << 30;
  r.slots = slots;
  return r;
}

TEST(HostTableTest, EnrolsUnderFreshIdsAndFindsByCredential) {
  HostTable hosts;
  Batch out;
  int64_t a = hosts.Enroll(Request("a", 2), "cred-a", 100, out).record.id;
  int64_t b = hosts.Enroll(Request("b", 0), "cred-b", 100, out).record.id;
  EXPECT_EQ(b, a + 1);
  EXPECT_EQ(hosts.Find(b)->record.slots, 1);  // at least one slot
  EXPECT_EQ(hosts.FindByCredential("cred-a")->record.id, a);
  EXPECT_EQ(hosts.FindByCredential("cred-c"), nullptr);
  EXPECT_EQ(hosts.Name(a), "a");
  EXPECT_EQ(hosts.Name(99), "");
  EXPECT_TRUE(hosts.HasNamed("b"));
  EXPECT_EQ(out.hosts.size(), 2u);
}

TEST(HostTableTest, QuarantinesAfterDistinctFailuresInARowUntilReleased) {
  HostTable hosts;
  Batch out;
  Host& h = hosts.Enroll(Request("a", 1), "cred-a", 0, out);
  hosts.NoteFailure(h, 1, 0, "exit code 1", 2, out);
  hosts.NoteFailure(h, 1, 0, "exit code 1", 2, out);  // the same task again
  EXPECT_FALSE(h.record.quarantined);
  hosts.NoteFailure(h, 1, 1, "exit code 2", 2, out);
  EXPECT_TRUE(h.record.quarantined);
  EXPECT_EQ(h.record.quarantine_reason, "failed 2 different tasks in a row (last: exit code 2)");
  EXPECT_TRUE(hosts.Release(h.record.id, out).ok());
  EXPECT_FALSE(h.record.quarantined);
  EXPECT_TRUE(h.failure_streak.empty());
  EXPECT_EQ(hosts.Release(99, out).code(), ErrorCode::kNotFound);
}

TEST(HostTableTest, MemoryForTasksHonoursTheOwnersCap) {
  Host h;
  h.record.facts.memory = 8 << 20;
  EXPECT_EQ(h.MemoryForTasks(), 8 << 20);
  h.memory_offered = 2 << 20;
  EXPECT_EQ(h.MemoryForTasks(), 2 << 20);
}

}  // namespace
}  // namespace gleaner::server
