#include "server/store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "store_conformance.h"

namespace gleaner::server {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gleaner-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string db() const { return (dir_ / "gleaner.db").string(); }

  std::filesystem::path dir_;
};

// What every store does (apply, load back, reopen, backup, check) is in the
// conformance suite, instantiated for SQLite at the end of this file.

TEST_F(SqliteStoreTest, TaskCheckpointIsStoredAndClearedAndOldDatabasesGainTheColumn) {
  // A database made before checkpoints existed: its tasks table lacks the column.
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "CREATE TABLE tasks(job_id INTEGER NOT NULL, idx INTEGER NOT NULL, state TEXT NOT NULL, "
                           "attempts INTEGER NOT NULL, host_id INTEGER NOT NULL, outcome TEXT NOT NULL, "
                           "PRIMARY KEY(job_id, idx)) WITHOUT ROWID;"
                           "INSERT INTO tasks VALUES(1, 0, 'running', 1, 5, '{}');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  {
    auto store = SqliteStore::Open(db());
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto snap = (*store)->LoadAll();
    ASSERT_TRUE(snap.ok()) << snap.error().message;
    ASSERT_EQ(snap->tasks.size(), 1u);
    EXPECT_FALSE(snap->tasks[0].checkpoint.has_value());
    Batch b;
    TaskRecord task{1, 0, api::TaskState::kRunning, 1, 5, {}, api::FileRef{"checkpoint.tar", std::string(64, 'c'), 20480}};
    b.tasks.push_back(task);
    task.index = 1;
    task.checkpoint.reset();
    b.tasks.push_back(task);
    ASSERT_TRUE((*store)->Apply(b).ok());
  }
  auto store = SqliteStore::Open(db());  // a second open finds the column there
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto snap = (*store)->LoadAll();
  ASSERT_TRUE(snap.ok()) << snap.error().message;
  ASSERT_EQ(snap->tasks.size(), 2u);
  ASSERT_TRUE(snap->tasks[0].checkpoint.has_value());
  EXPECT_EQ(snap->tasks[0].checkpoint->sha256, std::string(64, 'c'));
  EXPECT_EQ(snap->tasks[0].checkpoint->size, 20480);
  EXPECT_FALSE(snap->tasks[1].checkpoint.has_value());
}

TEST_F(SqliteStoreTest, ReplicatedResultsAndHostAgreementsSurviveAReopen) {
  {
    auto store = SqliteStore::Open(db());
    ASSERT_TRUE(store.ok()) << store.error().message;
    Batch b;
    TaskRecord task{1, 0, api::TaskState::kRunning, 2, 5, {}};
    TaskOutcome result;
    result.attempt_id = 7;
    result.exit_code = 0;
    result.stdout_ref = api::FileRef{"stdout", std::string(64, 'a'), 3};
    result.outputs = {{"out.txt", std::string(64, 'b'), 9}};
    task.validation.results.push_back({7, 5, std::string(64, 'h'), result, true, ""});
    task.validation.results.push_back({8, 6, std::string(64, 'i'), result, false, "stdout line 1, field 1: 1 vs 2"});
    task.validation.trusted_host = 6;
    b.tasks.push_back(task);
    task.index = 1;  // an unreplicated task stores no validation
    task.validation = {};
    b.tasks.push_back(task);
    HostRecord host{5, {}, 2, "cred", 100};
    host.facts.hostname = "pc5";
    host.agreements = 12;
    host.disagreements = 1;
    b.hosts.push_back(host);
    ASSERT_TRUE((*store)->Apply(b).ok());
  }
  auto store = SqliteStore::Open(db());
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto snap = (*store)->LoadAll();
  ASSERT_TRUE(snap.ok()) << snap.error().message;
  ASSERT_EQ(snap->tasks.size(), 2u);
  const Validation& v = snap->tasks[0].validation;
  ASSERT_EQ(v.results.size(), 2u);
  EXPECT_EQ(v.results[0].attempt_id, 7);
  EXPECT_TRUE(v.results[0].compared);
  EXPECT_TRUE(v.results[0].difference.empty());
  EXPECT_FALSE(v.results[1].compared);  // a result waiting for comparison stays waiting after a restart
  EXPECT_EQ(v.results[1].difference, "stdout line 1, field 1: 1 vs 2");
  EXPECT_EQ(v.results[0].host_id, 5);
  EXPECT_EQ(v.results[0].hash, std::string(64, 'h'));
  EXPECT_EQ(v.results[0].outcome.stdout_ref->sha256, std::string(64, 'a'));
  EXPECT_EQ(v.results[0].outcome.outputs.at(0).name, "out.txt");
  EXPECT_EQ(v.trusted_host, 6);
  EXPECT_TRUE(snap->tasks[1].validation.empty());
  ASSERT_EQ(snap->hosts.size(), 1u);
  EXPECT_EQ(snap->hosts[0].agreements, 12);
  EXPECT_EQ(snap->hosts[0].disagreements, 1);
}

TEST_F(SqliteStoreTest, OpeningADirectoryIsAClearError) {
  auto store = SqliteStore::Open(dir_.string());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("cannot open database"), std::string::npos);
}

// The rows of schema_version, "version,version,…".
std::string SchemaVersions(const std::string& path) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  std::string versions;
  auto add = [](void* out, int, char** values, char**) {
    auto& text = *static_cast<std::string*>(out);
    text += (text.empty() ? "" : ",") + std::string(values[0]);
    return 0;
  };
  EXPECT_EQ(sqlite3_exec(raw, "SELECT version FROM schema_version ORDER BY version", add, &versions, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  return versions;
}

TEST_F(SqliteStoreTest, SchemaVersionIsRecordedOnceAndANewerDatabaseIsRefused) {
  for (int open = 0; open < 2; ++open) {
    auto store = SqliteStore::Open(db());
    ASSERT_TRUE(store.ok()) << store.error().message;
  }
  EXPECT_EQ(SchemaVersions(db()), "1,2");  // the second open had nothing to apply
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "INSERT INTO schema_version VALUES(99, 0)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  auto store = SqliteStore::Open(db());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kConflict);
  EXPECT_NE(store.error().message.find("schema version 99, newer than this gleaner knows (2)"), std::string::npos)
      << store.error().message;
}

// The embedded default: a SQLite file in the data directory.
using testing::StoreConformanceTest;
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(testing::StoreKind{"Sqlite", [](const std::string& dir) {
                           return StoreLocation{dir};
                         }}),
                         testing::StoreKindName);

}  // namespace
}  // namespace gleaner::server
