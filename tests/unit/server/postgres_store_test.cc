// PostgresStore against a real PostgreSQL that the test starts itself
// (tests/postgres/postgres_cluster.h): the conformance suite, plus what is
// PostgreSQL's own (--init, schema versions, text that needs quoting, a
// backup that restores into SQLite).
#include "server/store/postgres_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "postgres_cluster.h"
#include "server/store/postgres_maintenance.h"
#include "server/store/sqlite_maintenance.h"
#include "store_conformance.h"
#include "test_support.h"

namespace gleaner::server {
namespace {

using gleaner::testing::PostgresCluster;

// One cluster for the whole process, started on first use; fsync off, as
// nothing here survives a crash of the machine.
std::unique_ptr<PostgresCluster>& SharedCluster() {
  static std::unique_ptr<PostgresCluster> cluster;
  return cluster;
}

std::string StartCluster() {
  if (SharedCluster()) return "";
  std::string why;
  SharedCluster() = PostgresCluster::Start("-c fsync=off", &why);
  return why;
}

class StopClusterAtExit : public ::testing::Environment {
 public:
  void TearDown() override { SharedCluster().reset(); }
};
const auto* const kStopCluster = ::testing::AddGlobalTestEnvironment(new StopClusterAtExit);

// A new, empty database: the location of a store not made yet.
StoreLocation NewPostgresLocation(const std::string& dir, bool create) {
  std::string url = SharedCluster() ? SharedCluster()->NewDatabase() : "";
  EXPECT_FALSE(url.empty()) << "cannot create a database";
  return StoreLocation{dir, url, "", create};
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why = StartCluster();
    if (!why.empty()) GTEST_SKIP() << why;
    dir_ = testing::NewTempDir("gleaner-pg-store");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(PostgresStoreTest, ADatabaseWithoutTheSchemaNeedsInitAndANewerSchemaIsRefused) {
  StoreLocation where = NewPostgresLocation(dir_, /*create=*/false);
  PgAddress address{where.postgres_url, ""};
  auto refused = PostgresStore::Open(address, /*create=*/false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
  EXPECT_NE(refused.error().message.find("--init"), std::string::npos) << refused.error().message;
  for (int open = 0; open < 2; ++open) {
    auto store = PostgresStore::Open(address, /*create=*/true);
    ASSERT_TRUE(store.ok()) << store.error().message;
  }
  auto conn = PgConnection::Connect(address);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  auto versions = conn->Query("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version");
  ASSERT_TRUE(versions.ok()) << versions.error().message;
  EXPECT_EQ(PgText(*versions, 0, 0), "1,2");  // the second open had nothing to apply
  ASSERT_TRUE(conn->Run("INSERT INTO schema_version VALUES(99, 0)").ok());
  auto newer = PostgresStore::Open(address, /*create=*/false);
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.error().code, ErrorCode::kConflict);
  EXPECT_NE(newer.error().message.find("schema version 99, newer than this gleaner knows (2)"), std::string::npos)
      << newer.error().message;
}

TEST_F(PostgresStoreTest, TextThatNeedsQuotingIsStoredAsItIs) {
  StoreLocation where = NewPostgresLocation(dir_, /*create=*/true);
  auto store = OpenStore(where);
  ASSERT_TRUE(store.ok()) << store.error().message;
  const std::string odd = R"(a "quoted" \back{slash}, NULL; 'single' é)";
  Batch b;
  JobRecord job{1, {}, odd, 100, false, 0};
  job.spec.command = {"sh", "-c", odd};
  job.spec.count = 1;
  b.jobs.push_back(job);
  b.tokens.push_back({"hash", api::Role::kViewer, "", 1});  // an empty text
  ASSERT_TRUE((*store)->Apply(b).ok());
  auto snap = (*store)->LoadAll();
  ASSERT_TRUE(snap.ok()) << snap.error().message;
  ASSERT_EQ(snap->jobs.size(), 1u);
  EXPECT_EQ(snap->jobs[0].owner, odd);
  EXPECT_EQ(snap->jobs[0].spec.command[2], odd);
  ASSERT_EQ(snap->tokens.size(), 1u);
  EXPECT_EQ(snap->tokens[0].name, "");
}

TEST_F(PostgresStoreTest, TheReaderCannotWrite) {
  StoreLocation where = NewPostgresLocation(dir_, /*create=*/true);
  ASSERT_TRUE(OpenStore(where).ok());
  auto reader = OpenStoreReader(where);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  Batch b;
  b.tokens.push_back({"hash", api::Role::kViewer, "x", 1});
  Status st = (*reader)->Apply(b);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("read-only transaction"), std::string::npos) << st.message();
}

TEST_F(PostgresStoreTest, ABackupOfPostgresRestoresIntoSqlite) {
  StoreLocation where = NewPostgresLocation(dir_, /*create=*/true);
  auto store = OpenStore(where);
  ASSERT_TRUE(store.ok()) << store.error().message;
  Batch b;
  b.jobs.push_back({1, {}, "alice", 100, false, 0});
  b.audit.push_back({0, 70, "admin", "admin", "127.0.0.1", "token.create", "bob", "ok", ""});
  ASSERT_TRUE((*store)->Apply(b).ok());
  std::string backup = dir_ + "/backup";
  std::filesystem::create_directories(backup);
  ASSERT_TRUE(OpenStoreMaintenance(where)->BackupInto(backup).ok());
  std::string sqlite_dir = dir_ + "/sqlite";
  std::filesystem::create_directories(sqlite_dir);
  auto restored = OpenStoreMaintenance(StoreLocation{sqlite_dir})->RestoreFrom(backup);
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  ASSERT_EQ(restored->jobs.size(), 1u);
  EXPECT_EQ(restored->jobs[0].owner, "alice");
  auto sqlite = OpenStore(StoreLocation{sqlite_dir});
  ASSERT_TRUE(sqlite.ok());
  auto audit = (*sqlite)->Audit({});
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(audit->front().action, "token.create");
}

TEST_F(PostgresStoreTest, AServerWhoseLeadHasPassedCommitsNothing) {
  StoreLocation where = NewPostgresLocation(dir_, /*create=*/true);
  PgAddress address{where.postgres_url, ""};
  // Leases long enough that no renewal runs during the test.
  auto old_leader = PostgresStore::Open(address, /*create=*/true, {"a", std::chrono::seconds(60)});
  ASSERT_TRUE(old_leader.ok()) << old_leader.error().message;
  Batch first;
  first.tokens.push_back({"first", api::Role::kViewer, "x", 1});
  ASSERT_TRUE((*old_leader)->Apply(first).ok());
  // Its lease runs out (as if it froze), and another server takes the lead.
  auto conn = PgConnection::Connect(address);
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn->Run("UPDATE leader SET expires_at = now() - interval '1 second'").ok());
  auto new_leader = PostgresStore::Open(address, /*create=*/false, {"b", std::chrono::seconds(60)});
  ASSERT_TRUE(new_leader.ok()) << new_leader.error().message;
  auto epochs = conn->Query("SELECT epoch, holder FROM leader");
  ASSERT_TRUE(epochs.ok());
  EXPECT_EQ(PgText(*epochs, 0, 0) + " " + PgText(*epochs, 0, 1), "2 b");

  Batch late;
  late.tokens.push_back({"late", api::Role::kViewer, "x", 2});
  late.audit.push_back({0, 70, "admin", "admin", "127.0.0.1", "token.create", "late", "ok", ""});
  Status refused = (*old_leader)->Apply(late);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kConflict);
  EXPECT_NE(refused.message().find("epoch 1"), std::string::npos) << refused.message();
  auto seen = (*new_leader)->LoadAll();
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->tokens.size(), 1u);  // nothing of the late batch
  EXPECT_EQ(seen->tokens[0].hash, "first");
  EXPECT_TRUE((*new_leader)->Audit({})->empty());
  EXPECT_TRUE((*new_leader)->Apply(late).ok());
}

using testing::StoreConformanceTest;
INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformanceTest,
                         ::testing::Values(testing::StoreKind{
                             "Postgres",
                             [](const std::string& dir) { return NewPostgresLocation(dir, /*create=*/true); },
                             [] { return StartCluster(); }}),
                         testing::StoreKindName);

}  // namespace
}  // namespace gleaner::server
