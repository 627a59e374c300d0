#include "server/auth/audit.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "server/store/sqlite_store.h"

namespace gleaner::server {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

TEST(AuditQuery, ParsesFiltersAndRefusesUnknownOnes) {
  auto q = ParseAuditQuery("since=1h&who=alice%20smith&action=token&limit=5", kNow);
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->since, kNow - 3'600'000);
  EXPECT_EQ(q->who, "alice smith");
  EXPECT_EQ(q->action, "token");
  EXPECT_EQ(q->limit, 5);
  EXPECT_EQ(ParseAuditQuery("", kNow)->since, kNow - 7 * 86'400'000LL);
  for (const char* bad : {"limit=0", "limit=abc", "since=yesterday", "colour=red"}) {
    auto r = ParseAuditQuery(bad, kNow);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(RefusalThrottle, RecordsAFewRefusalsPerAddressPerMinute) {
  RefusalThrottle throttle(3);
  int recorded = 0;
  for (int i = 0; i < 10; ++i) recorded += throttle.Admit("10.0.0.1", kNow);
  EXPECT_EQ(recorded, 3);
  EXPECT_TRUE(throttle.Admit("10.0.0.2", kNow));        // another address has its own budget
  EXPECT_TRUE(throttle.Admit("10.0.0.1", kNow + 60'000));  // and a new minute a new one
}

TEST(AuditLog, EventsAreStoredWithTheirBatchAndFilteredNewestFirst) {
  std::string dir = ::testing::TempDir() + "/audit_test_db";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = SqliteStore::Open(dir + "/g.db");
  ASSERT_TRUE(store.ok());
  Principal admin{api::Role::kAdmin, "root", 0};
  Batch batch;
  batch.audit.push_back(AuditOf(admin, "10.0.0.1", "token.create", "abc", "viewer token 'v'", kNow));
  batch.audit.push_back(AuditOf(admin, "10.0.0.1", "host.revoke", "desk (host 3)", "", kNow + 1));
  api::AuditEvent refused = AuditOf(Principal{}, "10.6.6.6", "auth.refused", "GET /api/v1/jobs", "unknown", kNow + 2);
  refused.outcome = "refused";
  batch.audit.push_back(refused);
  ASSERT_TRUE((*store)->Apply(batch).ok());

  auto all = (*store)->Audit(AuditQuery{kNow - 1, "", "", 100});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->front().action, "auth.refused");
  EXPECT_EQ(all->front().who, "");
  EXPECT_EQ(all->front().role, "");
  EXPECT_EQ(all->back().role, "admin");
  EXPECT_EQ((*store)->Audit(AuditQuery{0, "root", "", 100})->size(), 2u);
  auto tokens = (*store)->Audit(AuditQuery{0, "", "token", 100});
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ(tokens->front().detail, "viewer token 'v'");
  EXPECT_EQ((*store)->Audit(AuditQuery{0, "", "tok", 100})->size(), 0u);  // families, not prefixes of words
  EXPECT_EQ((*store)->Audit(AuditQuery{0, "", "", 1})->size(), 1u);
  EXPECT_EQ((*store)->Audit(AuditQuery{kNow + 2, "", "", 100})->size(), 1u);
}

}  // namespace
}  // namespace gleaner::server
