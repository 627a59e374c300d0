// Pure pieces: host facts parsing, task environment, backoff, exit wording,
// the agent's directory layout.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "agent/attempt_runner.h"
#include "agent/backoff.h"
#include "agent/host_facts.h"
#include "agent/task_environment.h"
#include "agent/agent_dirs.h"
#include "test_support.h"

namespace gleaner::agent {
namespace {

using namespace std::chrono_literals;

TEST(HostFactsTest, PrettyNameFromOsRelease) {
  EXPECT_EQ(PrettyNameFromOsRelease("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
            "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(PrettyNameFromOsRelease("PRETTY_NAME=Alpine\n"), "Alpine");
  EXPECT_EQ(PrettyNameFromOsRelease("NAME=x\n"), "");
}

TEST(HostFactsTest, CollectsThisHost) {
  auto facts = CollectHostFacts();
  EXPECT_FALSE(facts.hostname.empty());
  EXPECT_FALSE(facts.os.empty());
  EXPECT_FALSE(facts.arch.empty());
  EXPECT_GE(facts.cores, 1);
  EXPECT_GT(facts.memory, 0);
  EXPECT_EQ(facts.agent_version, GLEANER_VERSION);
}

TEST(TaskEnvironmentTest, FixedBaseJobVariablesAndTaskFacts) {
  api::Assignment a;
  a.attempt_id = 11;
  a.job_id = 5;
  a.index = 3;
  a.count = 10;
  a.env = {{"SEED", "42"}, {"PATH", "/opt/bin"}, {"GLEANER_TASK_INDEX", "999"}};
  auto env = TaskEnvironment(a, "/w/11");
  EXPECT_EQ(env["SEED"], "42");
  EXPECT_EQ(env["PATH"], "/opt/bin");  // the job may choose its PATH
  EXPECT_EQ(env["HOME"], "/w/11");
  EXPECT_EQ(env["TMPDIR"], "/w/11");
  EXPECT_EQ(env["GLEANER_TASK_INDEX"], "3");  // but not the facts about its task
  EXPECT_EQ(env["GLEANER_TASK_COUNT"], "10");
  EXPECT_EQ(env["GLEANER_JOB_ID"], "5");
  EXPECT_EQ(env["GLEANER_ATTEMPT_ID"], "11");
  EXPECT_EQ(env["GLEANER_CHECKPOINT_DIR"], "/w/11/.checkpoint");
}

TEST(BackoffTest, GrowsWithJitterUpToTheCapAndResets) {
  Backoff backoff(500ms, 30s);
  Millis ceiling = 500ms;
  for (int i = 0; i < 12; ++i) {
    Millis d = backoff.Next();
    EXPECT_GE(d, ceiling / 2);
    EXPECT_LE(d, ceiling);
    ceiling = std::min<Millis>(ceiling * 2, 30s);
  }
  backoff.Reset();
  EXPECT_LE(backoff.Next(), 500ms);
}

TEST(DescribeExitTest, InWords) {
  TaskExit code;
  code.exit_code = 3;
  EXPECT_EQ(DescribeExit(code), "exit code 3");
  TaskExit signal;
  signal.signal = SIGKILL;
  EXPECT_EQ(DescribeExit(signal), "killed by signal 9 (SIGKILL)");
}

TEST(AgentDirsTest, PreparesLayoutAndClearsStaleAttempts) {
  testing::TempDir tmp;
  std::filesystem::create_directories(tmp / "agent/attempts/17");
  auto dirs = PrepareAgentDirs(tmp / "agent");
  ASSERT_TRUE(dirs.ok()) << dirs.error().message;
  EXPECT_TRUE(std::filesystem::is_directory(dirs->pending));
  EXPECT_TRUE(std::filesystem::is_directory(dirs->cache));
  EXPECT_TRUE(std::filesystem::is_empty(dirs->attempts));
  EXPECT_EQ(dirs->CredentialFile(), tmp / "agent/agent.json");
  EXPECT_EQ(dirs->StdoutFile(17), tmp / "agent/attempts/17.stdout");
}

TEST(AgentDirsTest, LeavesTheModeOfAnExistingRootAlone) {
  testing::TempDir tmp;
  std::filesystem::permissions(tmp.path(), std::filesystem::perms(01777));
  ASSERT_TRUE(PrepareAgentDirs(tmp.path()).ok());
  EXPECT_EQ(std::filesystem::status(tmp.path()).permissions(), std::filesystem::perms(01777));
}

TEST(AgentDirsTest, TraversalCheckNamesTheDirectoryInTheWay) {
  testing::TempDir tmp;
  std::filesystem::create_directories(tmp / "locked/inner");
  std::filesystem::permissions(tmp / "locked", std::filesystem::perms(0700));
  Status blocked = CheckTraversableByOthers(tmp / "locked/inner");
  EXPECT_EQ(blocked.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(blocked.message().find(tmp / "locked' (mode 0700)"), std::string::npos) << blocked.message();
  EXPECT_TRUE(CheckTraversableByOthers(tmp.path()).ok());
}

}  // namespace
}  // namespace gleaner::agent
