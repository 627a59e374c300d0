// The agent's durable state: pending completions and its credential.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "agent/credential_store.h"
#include "agent/pending_store.h"
#include "api/json.h"
#include "test_support.h"

namespace gleaner::agent {
namespace {

using testing::TempDir;

api::Completion MakeCompletion(int64_t id) {
  api::Completion c;
  c.attempt_id = id;
  c.succeeded = true;
  c.exit_code = 0;
  c.outputs = {{"result.txt", std::string(64, 'b'), 12}};
  c.wall_ms = 1234;
  return c;
}

TEST(PendingStoreTest, SurvivesAReload) {
  TempDir tmp;
  {
    auto store = PendingStore::Open(tmp.path());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Add(MakeCompletion(7)).ok());
    ASSERT_TRUE((*store)->Add(MakeCompletion(9)).ok());
    ASSERT_TRUE((*store)->Forget(9).ok());
  }
  auto reloaded = PendingStore::Open(tmp.path());
  ASSERT_TRUE(reloaded.ok());
  auto all = (*reloaded)->All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].attempt_id, 7);
  EXPECT_EQ(all[0].wall_ms, 1234);
  ASSERT_EQ(all[0].outputs.size(), 1u);
  EXPECT_EQ(all[0].outputs[0].name, "result.txt");
  EXPECT_TRUE((*reloaded)->Holds(7));
  EXPECT_FALSE((*reloaded)->Holds(9));
}

TEST(PendingStoreTest, SkipsDamagedAndHalfWrittenFiles) {
  TempDir tmp;
  ASSERT_TRUE(WriteFileDurably(tmp / "3.json", "{not json").ok());
  ASSERT_TRUE(WriteFileDurably(tmp / "4.json.tmp", "{").ok());
  ASSERT_TRUE(WriteFileDurably(tmp / "5.json", api::Encode(MakeCompletion(5))).ok());
  auto store = PendingStore::Open(tmp.path());
  ASSERT_TRUE(store.ok());
  ASSERT_EQ((*store)->All().size(), 1u);
  EXPECT_TRUE((*store)->Holds(5));
}

TEST(CredentialStoreTest, AbsentFileMeansNotEnrolled) {
  TempDir tmp;
  auto loaded = LoadCredential(tmp / "agent.json");
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(*loaded);
}

TEST(CredentialStoreTest, RoundTripsWithOwnerOnlyMode) {
  TempDir tmp;
  ASSERT_TRUE(SaveCredential(tmp / "agent.json", {"http://grid:8080", 42, "agent_secret"}).ok());
  struct stat st {};
  ASSERT_EQ(::stat((tmp / "agent.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = LoadCredential(tmp / "agent.json");
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(*loaded);
  EXPECT_EQ((*loaded)->server, "http://grid:8080");
  EXPECT_EQ((*loaded)->host_id, 42);
  EXPECT_EQ((*loaded)->credential, "agent_secret");
}

TEST(CredentialStoreTest, DamagedFileSaysHowToRecover) {
  TempDir tmp;
  ASSERT_TRUE(WriteFileDurably(tmp / "agent.json", "{\"server\": 1}").ok());
  auto loaded = LoadCredential(tmp / "agent.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(loaded.error().message.find("--join"), std::string::npos);
}

}  // namespace
}  // namespace gleaner::agent
