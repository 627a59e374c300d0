// One attempt end to end, with a real process and an in-memory server.
#include "agent/attempt_runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "agent/executor/posix/process_driver.h"
#include "attempt_fixture.h"
#include "test_support.h"

namespace gleaner::agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::FakeServer;
using testing::TempDir;

class AttemptRunnerTest : public testing::AttemptFixture {
 protected:
  api::Assignment Assign(std::vector<std::string> command) {
    api::Assignment a;
    a.attempt_id = 1;
    a.job_id = 2;
    a.index = 0;
    a.count = 1;
    a.command = std::move(command);
    return a;
  }

  api::Completion RunToCompletion(const api::Assignment& assignment) {
    auto kill = KillSwitch::Create();
    EXPECT_TRUE(kill.ok());
    Status done = RunAttempt(env_, assignment, **kill, control_);
    EXPECT_TRUE(done.ok()) << done.message();
    return OnlyCompletion();
  }

  std::string Blob(const std::optional<api::FileRef>& ref) {
    if (!ref) return "<no ref>";
    return server_.Get(ref->sha256).value_or("<not uploaded>");
  }

};

TEST_F(AttemptRunnerTest, SuccessUploadsOutputsAndCapturesThenCleansUp) {
  std::string program = "#!/bin/sh\nmkdir out; echo a > out/a.txt; echo $GLEANER_TASK_INDEX > index.txt; echo done\n";
  auto assignment = Assign({"./prog"});
  assignment.inputs = {{"prog", server_.Put(program), static_cast<int64_t>(program.size())}};
  assignment.outputs = {"out/*", "*.txt", "missing/*"};
  auto completion = RunToCompletion(assignment);

  EXPECT_TRUE(completion.succeeded) << completion.reason;
  EXPECT_EQ(completion.exit_code, 0);
  ASSERT_EQ(completion.outputs.size(), 2u);
  EXPECT_EQ(completion.outputs[0].name, "index.txt");
  EXPECT_EQ(Blob(completion.outputs[0]), "0\n");
  EXPECT_EQ(completion.outputs[1].name, "out/a.txt");
  EXPECT_EQ(Blob(completion.outputs[1]), "a\n");
  ASSERT_TRUE(completion.stdout_ref);
  EXPECT_EQ(completion.stdout_ref->name, "stdout");
  EXPECT_EQ(Blob(completion.stdout_ref), "done\n");
  EXPECT_EQ(Blob(completion.stderr_ref), "");
  EXPECT_FALSE(fs::exists(dirs_.AttemptDir(1)));
  EXPECT_FALSE(fs::exists(dirs_.StdoutFile(1)));
  EXPECT_TRUE(fs::exists(dirs_.pending + "/1.json"));
}

TEST_F(AttemptRunnerTest, FailureSaysWhyAndStillUploadsCaptures) {
  auto assignment = Assign({"sh", "-c", "echo broken >&2; touch r.txt; exit 3"});
  assignment.outputs = {"*.txt"};
  auto completion = RunToCompletion(assignment);
  EXPECT_FALSE(completion.succeeded);
  EXPECT_EQ(completion.reason, "exit code 3");
  EXPECT_EQ(completion.exit_code, 3);
  EXPECT_TRUE(completion.outputs.empty());
  EXPECT_EQ(Blob(completion.stderr_ref), "broken\n");
}

TEST_F(AttemptRunnerTest, TimeoutIsReportedInWords) {
  auto assignment = Assign({"sleep", "100"});
  assignment.timeout_ms = 200;
  auto completion = RunToCompletion(assignment);
  EXPECT_FALSE(completion.succeeded);
  EXPECT_EQ(completion.reason, "timed out after 200ms");
  EXPECT_EQ(completion.signal, SIGTERM);
}

TEST_F(AttemptRunnerTest, MissingInputFailsTheAttempt) {
  auto assignment = Assign({"true"});
  assignment.inputs = {{"data", std::string(64, 'c'), 1}};
  auto completion = RunToCompletion(assignment);
  EXPECT_FALSE(completion.succeeded);
  EXPECT_NE(completion.reason.find("input 'data'"), std::string::npos) << completion.reason;
}

TEST_F(AttemptRunnerTest, UploadsWaitForTheServerToComeBack) {
  server_.GoAway(2);
  auto assignment = Assign({"sh", "-c", "echo kept > r.txt"});
  assignment.outputs = {"r.txt"};
  auto completion = RunToCompletion(assignment);
  EXPECT_TRUE(completion.succeeded) << completion.reason;
  ASSERT_EQ(completion.outputs.size(), 1u);
  EXPECT_EQ(Blob(completion.outputs[0]), "kept\n");
}

TEST_F(AttemptRunnerTest, AgentStopReportsNothingAndCleansUp) {
  auto kill = KillSwitch::Create();
  ASSERT_TRUE(kill.ok());
  std::thread stopper([&] {
    std::this_thread::sleep_for(200ms);
    (*kill)->Pull(KillCause::kAgentStopping, 1s);
  });
  Status done = RunAttempt(env_, Assign({"sleep", "100"}), **kill, control_);
  stopper.join();
  EXPECT_TRUE(done.ok()) << done.message();
  EXPECT_TRUE(pending_->All().empty());
  EXPECT_FALSE(fs::exists(dirs_.AttemptDir(1)));
}

}  // namespace
}  // namespace gleaner::agent
