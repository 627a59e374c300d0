#include "agent/executor/input_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "test_support.h"

namespace gleaner::agent {
namespace {

namespace fs = std::filesystem;
using testing::FakeServer;
using testing::Slurp;
using testing::TempDir;

class InputCacheTest : public ::testing::TestWithParam<InputCache::Placement> {
 protected:
  InputCacheTest() {
    fs::create_directory(tmp_ / "cache");
    fs::create_directory(tmp_ / "work");
  }
  FetchBlob Fetch() {
    return [this](const std::string& sha, const std::string& dest) { return link_->DownloadBlob(sha, dest); };
  }
  TempDir tmp_;
  FakeServer server_;
  std::unique_ptr<ServerLink> link_ = server_.Links()();
  InputCache cache_{tmp_ / "cache", GetParam()};
};

TEST_P(InputCacheTest, PlacesAnExecutableFileUnderItsName) {
  std::string program = "#!/bin/sh\necho hi\n";
  api::FileRef ref{"bin/prog", server_.Put(program), static_cast<int64_t>(program.size())};
  ASSERT_TRUE(cache_.Place(ref, tmp_ / "work", Fetch()).ok());
  std::string placed = tmp_ / "work/bin/prog";
  EXPECT_EQ(Slurp(placed), program);
  struct stat st {};
  ASSERT_EQ(::stat(placed.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0555u);
  EXPECT_EQ(::access(placed.c_str(), X_OK), 0);
}

TEST_P(InputCacheTest, DownloadsEachBlobOnce) {
  api::FileRef ref{"a", server_.Put("data"), 4};
  ASSERT_TRUE(cache_.Place(ref, tmp_ / "work", Fetch()).ok());
  ref.name = "b";
  ASSERT_TRUE(cache_.Place(ref, tmp_ / "work", Fetch()).ok());
  EXPECT_EQ(server_.downloads(), 1);
  EXPECT_EQ(Slurp(tmp_ / "work/b"), "data");
}

TEST_P(InputCacheTest, ConcurrentPlacementsOfOneBlobAllSucceed) {
  api::FileRef ref{"", server_.Put(std::string(1 << 20, 'z')), 1 << 20};
  std::vector<std::thread> threads;
  std::vector<Status> results(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto link = server_.Links()();
      api::FileRef mine = ref;
      mine.name = "copy" + std::to_string(i);
      results[i] = cache_.Place(mine, tmp_ / "work", [&](const std::string& sha, const std::string& dest) {
        return link->DownloadBlob(sha, dest);
      });
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i) {
    EXPECT_TRUE(results[i].ok()) << results[i].message();
    EXPECT_EQ(fs::file_size(tmp_ / ("work/copy" + std::to_string(i))), 1u << 20);
  }
  for (const auto& entry : fs::directory_iterator(tmp_ / "cache")) {
    EXPECT_EQ(entry.path().filename(), ref.sha256) << "temp file left behind";
  }
}

TEST_P(InputCacheTest, RefusesUnsafeNamesAndHashes) {
  api::FileRef escape{"../evil", server_.Put("x"), 1};
  EXPECT_EQ(cache_.Place(escape, tmp_ / "work", Fetch()).code(), ErrorCode::kInvalidArgument);
  api::FileRef bad_hash{"ok", "../../etc/passwd", 1};
  EXPECT_EQ(cache_.Place(bad_hash, tmp_ / "work", Fetch()).code(), ErrorCode::kInvalidArgument);
}

TEST_P(InputCacheTest, MissingBlobIsNotFoundAndLeavesNoTemp) {
  api::FileRef ref{"a", std::string(64, 'a'), 1};
  EXPECT_EQ(cache_.Place(ref, tmp_ / "work", Fetch()).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(fs::is_empty(tmp_ / "cache"));
}

INSTANTIATE_TEST_SUITE_P(Placements, InputCacheTest,
                         ::testing::Values(InputCache::Placement::kHardlink, InputCache::Placement::kCopy));

}  // namespace
}  // namespace gleaner::agent
