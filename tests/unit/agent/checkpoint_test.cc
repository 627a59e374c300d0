// Checkpoint migration on the agent: packing and unpacking a checkpoint dir,
// the outbox to the sync loop, and an attempt that uploads, restores and
// keeps its checkpoint over a vacate.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "agent/attempt_runner.h"
#include "agent/checkpoint/checkpoint_archive.h"
#include "agent/checkpoint/checkpoint_outbox.h"
#include "agent/checkpoint/checkpoint_uploader.h"
#include "agent/executor/posix/process_driver.h"
#include "agent/task_environment.h"
#include "attempt_fixture.h"
#include "test_support.h"

namespace gleaner::agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::FakeServer;
using testing::Slurp;
using testing::TempDir;

void Write(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// --- archive -----------------------------------------------------------------

TEST(CheckpointArchiveTest, RoundTripKeepsFilesAndDirsAndSkipsSymlinks) {
  TempDir tmp;
  std::string src = tmp / "src", dst = tmp / "dst";
  std::string long_dir = std::string(90, 'd') + "/" + std::string(60, 'e');  // needs ustar's prefix field
  Write(src + "/count", "41\n");
  Write(src + "/empty", "");
  Write(src + "/block", std::string(512, 'b'));
  Write(src + "/sub/big.bin", std::string(70'000, '\x7f'));
  Write(src + "/" + long_dir + "/f", "deep");
  fs::create_directories(src + "/emptydir");
  fs::create_symlink("/etc/passwd", src + "/link");
  ::chmod((src + "/count").c_str(), 0640);

  auto summary = WriteCheckpointArchive(src, tmp / "a.tar", 1 << 20);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->files, 5);
  EXPECT_EQ(summary->bytes, 3 + 0 + 512 + 70'000 + 4);
  fs::create_directories(dst);
  Status unpacked = ExtractCheckpointArchive(tmp / "a.tar", dst, std::nullopt);
  ASSERT_TRUE(unpacked.ok()) << unpacked.message();
  EXPECT_EQ(Slurp(dst + "/count"), "41\n");
  EXPECT_EQ(Slurp(dst + "/empty"), "");
  EXPECT_EQ(Slurp(dst + "/block"), std::string(512, 'b'));
  EXPECT_EQ(Slurp(dst + "/sub/big.bin"), std::string(70'000, '\x7f'));
  EXPECT_EQ(Slurp(dst + "/" + long_dir + "/f"), "deep");
  EXPECT_TRUE(fs::is_directory(dst + "/emptydir"));
  EXPECT_FALSE(fs::exists(fs::symlink_status(dst + "/link")));
  EXPECT_EQ(fs::status(dst + "/count").permissions() & fs::perms::all, fs::perms(0640));
  // The same tree packs to the same bytes, so the same blob.
  ASSERT_TRUE(WriteCheckpointArchive(src, tmp / "b.tar", 1 << 20).ok());
  EXPECT_EQ(Slurp(tmp / "a.tar"), Slurp(tmp / "b.tar"));
}

TEST(CheckpointArchiveTest, GnuTarReadsWhatWeWrite) {
  if (::system("tar --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no tar here";
  TempDir tmp;
  std::string long_dir = std::string(90, 'd') + "/" + std::string(60, 'e');
  Write(tmp / "src/a/b.txt", "hello");
  Write(tmp / ("src/" + long_dir + "/f"), "deep");
  ASSERT_TRUE(WriteCheckpointArchive(tmp / "src", tmp / "a.tar", 1 << 20).ok());
  fs::create_directories(tmp / "gnu");
  std::string cmd = "tar -xf " + (tmp / "a.tar") + " -C " + (tmp / "gnu");
  ASSERT_EQ(::system(cmd.c_str()), 0);
  EXPECT_EQ(Slurp(tmp / "gnu/a/b.txt"), "hello");
  EXPECT_EQ(Slurp(tmp / ("gnu/" + long_dir + "/f")), "deep");
}

TEST(CheckpointArchiveTest, RefusesUnsafeNamesAndDamagedHeaders) {
  TempDir tmp;
  Write(tmp / "src/x", "payload");
  ASSERT_TRUE(WriteCheckpointArchive(tmp / "src", tmp / "a.tar", 1 << 20).ok());
  std::string tar = Slurp(tmp / "a.tar");

  // Rename the entry to "../x" and fix its checksum: still refused.
  std::string evil = tar;
  std::memcpy(&evil[0], "../x\0", 5);
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(evil[i]);
  std::snprintf(&evil[148], 8, "%06o", sum);
  evil[155] = ' ';
  Write(tmp / "evil.tar", evil);
  fs::create_directories(tmp / "dst1");
  Status refused = ExtractCheckpointArchive(tmp / "evil.tar", tmp / "dst1", std::nullopt);
  EXPECT_EQ(refused.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("unsafe name '../x'"), std::string::npos) << refused.message();
  EXPECT_FALSE(fs::exists(tmp / "x"));

  // One flipped byte in a header: refused.
  std::string damaged = tar;
  damaged[10] ^= 1;
  Write(tmp / "damaged.tar", damaged);
  fs::create_directories(tmp / "dst2");
  Status bad = ExtractCheckpointArchive(tmp / "damaged.tar", tmp / "dst2", std::nullopt);
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "checkpoint archive has a damaged header");

  // Truncated: refused.
  Write(tmp / "short.tar", tar.substr(0, 600));
  fs::create_directories(tmp / "dst3");
  EXPECT_EQ(ExtractCheckpointArchive(tmp / "short.tar", tmp / "dst3", std::nullopt).message(),
            "checkpoint archive ends early");
}

TEST(CheckpointArchiveTest, RefusesACheckpointOverTheLimit) {
  TempDir tmp;
  Write(tmp / "src/x", std::string(2000, 'x'));
  auto packed = WriteCheckpointArchive(tmp / "src", tmp / "a.tar", 1000);
  ASSERT_FALSE(packed.ok());
  EXPECT_EQ(packed.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(packed.error().message, "the checkpoint holds 2000 bytes, over the agent's limit of 1000");
}

TEST(CheckpointArchiveTest, FingerprintChangesWithTheTreeOnly) {
  TempDir tmp;
  auto empty = CheckpointFingerprint(tmp / "absent");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
  Write(tmp / "cp/count", "1");
  auto first = CheckpointFingerprint(tmp / "cp");
  auto again = CheckpointFingerprint(tmp / "cp");
  EXPECT_EQ(*first, *again);
  EXPECT_NE(*first, "");
  Write(tmp / "cp/count", "12");
  EXPECT_NE(*CheckpointFingerprint(tmp / "cp"), *first);
}

// --- uploader and outbox --------------------------------------------------------

TEST(CheckpointUploaderTest, UploadsOnlyWhenTheDirChanged) {
  TempDir tmp;
  FakeServer server;
  auto link = server.Links()();
  CheckpointUploader uploader(tmp / "cp", tmp / "scratch.tar", 1 << 20);
  auto nothing = uploader.UploadIfChanged(*link);
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());  // empty: nothing to keep
  Write(tmp / "cp/count", "7");
  auto first = uploader.UploadIfChanged(*link);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->name, "checkpoint.tar");
  EXPECT_TRUE(server.Get((*first)->sha256).has_value());
  EXPECT_FALSE(fs::exists(tmp / "scratch.tar"));
  auto unchanged = uploader.UploadIfChanged(*link);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_FALSE(unchanged->has_value());
  EXPECT_EQ(uploader.latest()->sha256, (*first)->sha256);
  // Server away: the change is uploaded on a later round.
  Write(tmp / "cp/count", "8");
  server.GoAway(1);
  auto away = uploader.UploadIfChanged(*link);
  ASSERT_FALSE(away.ok());
  EXPECT_EQ(away.error().code, ErrorCode::kUnavailable);
  auto later = uploader.UploadIfChanged(*link);
  ASSERT_TRUE(later.ok());
  ASSERT_TRUE(later->has_value());
  EXPECT_NE((*later)->sha256, (*first)->sha256);
}

TEST(CheckpointOutboxTest, KeepsTheLatestUntilDelivered) {
  CheckpointOutbox outbox;
  outbox.Put(2, {"checkpoint.tar", std::string(64, 'a'), 1});
  outbox.Put(1, {"checkpoint.tar", std::string(64, 'b'), 1});
  auto sent = outbox.Pending();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].attempt_id, 1);
  outbox.Put(2, {"checkpoint.tar", std::string(64, 'c'), 1});  // newer, while the sync was in flight
  outbox.Delivered(sent);
  auto left = outbox.Pending();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].attempt_id, 2);
  EXPECT_EQ(left[0].blob.sha256, std::string(64, 'c'));
}

// --- one attempt ------------------------------------------------------------------

class CheckpointAttemptTest : public testing::AttemptFixture {
 protected:
  CheckpointAttemptTest() {
    env_.checkpoint_interval = 100ms;
    if (auto user = TaskUserOrSelf()) env_.task_owner = FileOwner{user->uid, user->gid};
  }

  api::Assignment Assign(const std::string& script) {
    api::Assignment a;
    a.attempt_id = 1;
    a.job_id = 2;
    a.count = 1;
    a.command = {"sh", "-c", script};
    return a;
  }

  // A checkpoint blob holding `files`, as a previous attempt would have left it.
  api::FileRef CheckpointOf(const std::map<std::string, std::string>& files) {
    for (const auto& [name, content] : files) Write(tmp_ / ("made/" + name), content);
    EXPECT_TRUE(WriteCheckpointArchive(tmp_ / "made", tmp_ / "made.tar", 1 << 20).ok());
    std::string tar = Slurp(tmp_ / "made.tar");
    return {"checkpoint.tar", server_.Put(tar), static_cast<int64_t>(tar.size())};
  }

  // The files of the checkpoint blob `ref`.
  std::string FileIn(const api::FileRef& ref, const std::string& name) {
    auto tar = server_.Get(ref.sha256);
    if (!tar) return "<not uploaded>";
    std::string dir = tmp_ / ("seen-" + ref.sha256.substr(0, 8));
    fs::create_directories(dir);
    Write(dir + ".tar", *tar);
    Status st = ExtractCheckpointArchive(dir + ".tar", dir, std::nullopt);
    return st.ok() ? Slurp(dir + "/" + name) : st.message();
  }

  api::Completion Run(const api::Assignment& assignment, std::optional<KillCause> kill_after_checkpoint = {}) {
    auto kill = KillSwitch::Create();
    EXPECT_TRUE(kill.ok());
    std::thread killer;
    if (kill_after_checkpoint) {
      killer = std::thread([&, cause = *kill_after_checkpoint] {
        testing::Eventually([&] { return !env_.checkpoints->Pending().empty(); });
        (*kill)->Pull(cause, 5s);
      });
    }
    Status done = RunAttempt(env_, assignment, **kill, control_);
    if (killer.joinable()) killer.join();
    EXPECT_TRUE(done.ok()) << done.message();
    return OnlyCompletion();
  }

};

TEST_F(CheckpointAttemptTest, ChangedCheckpointDirIsUploadedWhileTheTaskRuns) {
  auto completion = Run(Assign("echo 3 > \"$GLEANER_CHECKPOINT_DIR/count\"; sleep 2"), KillCause::kCancelled);
  EXPECT_FALSE(completion.succeeded);
  auto sent = env_.checkpoints->Pending();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].attempt_id, 1);
  EXPECT_EQ(FileIn(sent[0].blob, "count"), "3\n");
  EXPECT_FALSE(completion.checkpoint.has_value());  // only a vacate's completion carries one
}

TEST_F(CheckpointAttemptTest, TaskStartsWithItsCheckpointAndMayRewriteIt) {
  auto assignment = Assign(
      "n=$(cat \"$GLEANER_CHECKPOINT_DIR/count\"); echo \"resumed at $n\"; "
      "echo $((n + 1)) > \"$GLEANER_CHECKPOINT_DIR/count\" && cat \"$GLEANER_CHECKPOINT_DIR/sub/note\"");
  assignment.checkpoint = CheckpointOf({{"count", "41"}, {"sub/note", "kept\n"}});
  auto completion = Run(assignment);
  EXPECT_TRUE(completion.succeeded) << completion.reason << " " << server_.Get(completion.stderr_ref->sha256).value_or("");
  EXPECT_EQ(server_.Get(completion.stdout_ref->sha256).value_or(""), "resumed at 41\nkept\n");
  EXPECT_FALSE(fs::exists(dirs_.AttemptDir(1) + ".checkpoint-in.tar"));
}

TEST_F(CheckpointAttemptTest, UnrestorableCheckpointMeansAFreshStart) {
  auto assignment = Assign("ls -A \"$GLEANER_CHECKPOINT_DIR\" | wc -l");
  assignment.checkpoint = api::FileRef{"checkpoint.tar", std::string(64, 'f'), 10};  // never uploaded
  auto completion = Run(assignment);
  EXPECT_TRUE(completion.succeeded) << completion.reason;
  EXPECT_EQ(server_.Get(completion.stdout_ref->sha256).value_or(""), "0\n");
}

TEST_F(CheckpointAttemptTest, VacatedTaskWritesItsCheckpointInTheGraceAndTheCompletionCarriesIt) {
  env_.checkpoint_interval = 100ms;
  auto completion = Run(Assign("trap 'echo final > \"$GLEANER_CHECKPOINT_DIR/count\"; exit 0' TERM; "
                               "echo early > \"$GLEANER_CHECKPOINT_DIR/count\"; "
                               "while true; do sleep 0.05; done"),
                        KillCause::kVacated);
  EXPECT_TRUE(completion.vacated);
  ASSERT_TRUE(completion.checkpoint.has_value());
  EXPECT_EQ(FileIn(*completion.checkpoint, "count"), "final\n");
}

}  // namespace
}  // namespace gleaner::agent
