// The pure parts of the sandbox: bubblewrap's command line and the rlimits a
// task starts under.
#include "agent/executor/posix/sandbox.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "agent/executor/posix/task_limits.h"

namespace gleaner::agent {
namespace {

using Argv = std::vector<std::string>;

ptrdiff_t IndexOf(const Argv& argv, const Argv& words) {
  auto it = std::search(argv.begin(), argv.end(), words.begin(), words.end());
  return it == argv.end() ? -1 : it - argv.begin();
}

Argv Build(bool network = false) {
  return BubblewrapArgv({"/usr/bin/bwrap", "/var/lib/gleaner/attempts/7", network}, {"./run.sh", "--", "a b"});
}

TEST(BubblewrapArgv, UnsharesEveryNamespaceAndDiesWithTheAgent) {
  Argv argv = Build();
  EXPECT_EQ(argv.front(), "/usr/bin/bwrap");
  for (const char* flag : {"--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent"}) {
    EXPECT_GE(IndexOf(argv, {flag}), 0) << flag;
  }
  EXPECT_EQ(IndexOf(argv, {"--share-net"}), -1) << "no network unless the job asks";
  EXPECT_GE(IndexOf(Build(true), {"--share-net"}), 0);
}

TEST(BubblewrapArgv, OnlyTheWorkDirIsWritableAndItIsBoundAtItsOwnPath) {
  Argv argv = Build();
  const std::string work = "/var/lib/gleaner/attempts/7";
  auto bind = IndexOf(argv, {"--bind", work, work});
  ASSERT_GE(bind, 0);
  EXPECT_GE(IndexOf(argv, {"--chdir", work}), 0);
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "--bind"), 1) << "nothing else read-write from the host";
  for (const char* writable : {"--dev-bind", "--bind-try", "--dev-bind-try"}) {
    EXPECT_EQ(IndexOf(argv, {writable}), -1) << writable;
  }
  // The private /tmp comes first, so a work dir under /tmp is still bound on top of it.
  auto tmp = IndexOf(argv, {"--tmpfs", "/tmp"});
  ASSERT_GE(tmp, 0);
  EXPECT_LT(tmp, bind);
  // The root bubblewrap builds is made read-only after every mount.
  auto remount = IndexOf(argv, {"--remount-ro", "/"});
  ASSERT_GT(remount, bind);
  EXPECT_LT(remount, IndexOf(argv, {"--"}));
}

TEST(BubblewrapArgv, SystemIsReadOnlyAndEtcIsAWhitelist) {
  Argv argv = Build();
  EXPECT_GE(IndexOf(argv, {"--ro-bind-try", "/usr", "/usr"}), 0);
  EXPECT_GE(IndexOf(argv, {"--ro-bind-try", "/etc/passwd", "/etc/passwd"}), 0);
  EXPECT_EQ(IndexOf(argv, {"/etc", "/etc"}), -1) << "never the whole of /etc";
  EXPECT_EQ(IndexOf(argv, {"/", "/"}), -1) << "never the whole host";
  for (const auto& entry : SandboxEtcEntries()) {
    EXPECT_TRUE(entry.starts_with("/etc/")) << entry;
    EXPECT_EQ(entry.find("shadow"), std::string::npos) << entry;
  }
  EXPECT_EQ(IndexOf(argv, {"/var/lib/gleaner"}), -1) << "the agent's directory is not there";
  EXPECT_GE(IndexOf(argv, {"--proc", "/proc"}), 0);
  EXPECT_GE(IndexOf(argv, {"--dev", "/dev"}), 0);
}

TEST(BubblewrapArgv, TheCommandComesLastBehindASignalReset) {
  Argv argv = Build();
  auto dashdash = IndexOf(argv, {"--", "/usr/bin/env", "--default-signal=TERM", "--"});
  ASSERT_GE(dashdash, 0);
  Argv command(argv.begin() + dashdash + 4, argv.end());
  EXPECT_EQ(command, (Argv{"./run.sh", "--", "a b"}));
}

TEST(TaskLimits, AddressSpaceIsTheAskedMemoryWithHeadroom) {
  EXPECT_FALSE(LimitsForTask(0, 1, 0).address_space) << "nothing asked, nothing imposed";
  EXPECT_EQ(LimitsForTask(int64_t{1} << 30, 1, 0).address_space, int64_t{3} << 30);
}

TEST(TaskLimits, ProcessLimitLeavesRoomForEverySlotAboveWhatTheUserRuns) {
  EXPECT_EQ(LimitsForTask(0, 1, 0).processes, kProcessesPerSlot);
  EXPECT_EQ(LimitsForTask(0, 4, 300).processes, 300 + 4 * kProcessesPerSlot);
  EXPECT_EQ(LimitsForTask(0, 0, -5).processes, kProcessesPerSlot);
}

TEST(TaskLimits, FilesAndCoreDumpsAreBounded) {
  TaskLimits limits = LimitsForTask(0, 1, 0);
  EXPECT_EQ(limits.file_size, kMaxTaskFileSize);
  EXPECT_EQ(limits.open_files, kMaxTaskOpenFiles);
  EXPECT_EQ(limits.core_size, 0);
}

TEST(TaskLimits, ReadsRealUidAndThreadsFromProcStatus) {
  auto count = ParseProcStatus("Name:\tjava\nUmask:\t0022\nUid:\t999\t0\t0\t0\nGid:\t995\t995\t995\t995\n"
                               "Threads:\t42\n");
  ASSERT_TRUE(count);
  EXPECT_EQ(count->real_uid, 999u);
  EXPECT_EQ(count->threads, 42);
  EXPECT_FALSE(ParseProcStatus("Name:\tx\n"));
}

}  // namespace
}  // namespace gleaner::agent
