// The control loop against a scripted server: leases, results, cancels,
// outages, stops.
#include "agent/agent_loop.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "agent/executor/posix/process_driver.h"
#include "test_support.h"

namespace gleaner::agent {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;
using testing::FakeServer;
using testing::TempDir;

bool Has(const std::vector<int64_t>& ids, int64_t id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

bool HasCompletion(const api::SyncRequest& request, int64_t id) {
  return std::any_of(request.completions.begin(), request.completions.end(),
                     [&](const api::Completion& c) { return c.attempt_id == id; });
}

class AgentLoopTest : public ::testing::Test {
 protected:
  AgentLoopTest()
      : dirs_(*PrepareAgentDirs(tmp_ / "agent")),
        driver_(TaskUserOrSelf(), nullptr),
        cache_(dirs_.cache, InputCache::Placement::kCopy),
        pending_(PendingStore::Open(dirs_.pending).value()) {}

  ~AgentLoopTest() override {
    if (loop_) loop_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  static std::optional<TaskUser> TaskUserOrSelf() {
    auto user = ResolveTaskUser("gleaner");
    return user.ok() ? *user : std::nullopt;
  }

  void StartLoop(int64_t slots = 2) {
    AttemptEnv env{dirs_, driver_, cache_, *pending_, server_.Links(), 1 << 20};
    LoopTiming timing;
    timing.first_interval = 50ms;
    guard_.Observe(OwnerView{});  // no owner to sense, so work runs; before it, the guard allows none
    loop_ = std::make_unique<AgentLoop>(env, slots, guard_, timing);
    thread_ = std::thread([this] { result_ = loop_->Run(); });
  }

  Status StopLoop() {
    loop_->Stop();
    thread_.join();
    return result_;
  }

  static api::Assignment Assign(int64_t id, std::vector<std::string> command) {
    api::Assignment a;
    a.attempt_id = id;
    a.job_id = 1;
    a.count = 1;
    a.command = std::move(command);
    return a;
  }

  // Hands out `assignments` once, accepts every completion, and asks for
  // syncs every 50ms.
  void ServeOnce(std::vector<api::Assignment> assignments, std::vector<int64_t> cancel_when_running = {}) {
    server_.OnSync([assignments, cancel_when_running, sent = false](const api::SyncRequest& request) mutable {
      api::SyncResponse response;
      response.lease_ms = 150;
      response.poll_ms = 50;
      if (!sent) response.assignments = assignments;
      sent = true;
      for (const auto& c : request.completions) response.accepted.push_back(c.attempt_id);
      for (int64_t id : cancel_when_running) {
        if (Has(request.running, id)) response.cancel.push_back(id);
      }
      return response;
    });
  }

  std::optional<api::Completion> CompletionSent(int64_t id) {
    for (const auto& request : server_.syncs()) {
      for (const auto& c : request.completions) {
        if (c.attempt_id == id) return c;
      }
    }
    return std::nullopt;
  }

  TempDir tmp_;
  FakeServer server_;
  AgentDirs dirs_;
  ProcessDriver driver_;
  OwnerGuard guard_{[] {}};
  InputCache cache_;
  std::unique_ptr<PendingStore> pending_;
  std::unique_ptr<AgentLoop> loop_;
  std::thread thread_;
  Status result_;
};

TEST_F(AgentLoopTest, RunsAnAssignmentRenewsItsLeaseAndDeliversTheResult) {
  ServeOnce({Assign(5, {"sh", "-c", "sleep 0.4; echo hi"})});
  StartLoop(2);
  ASSERT_TRUE(Eventually([&] { return CompletionSent(5).has_value(); }));
  ASSERT_TRUE(Eventually([&] { return pending_->All().empty(); })) << "accepted completions are forgotten";
  auto syncs = server_.syncs();
  auto renewing = std::find_if(syncs.begin(), syncs.end(), [](const auto& r) { return Has(r.running, 5); });
  ASSERT_NE(renewing, syncs.end()) << "the running attempt was never reported";
  EXPECT_EQ(renewing->free_slots, 1);
  EXPECT_EQ(renewing->slots, 2);
  EXPECT_TRUE(CompletionSent(5)->succeeded);
  for (const auto& r : syncs) EXPECT_FALSE(Has(r.running, 5) && HasCompletion(r, 5)) << "reported twice in one sync";
  EXPECT_TRUE(StopLoop().ok());
}

TEST_F(AgentLoopTest, CancelKillsTheTaskAndReportsIt) {
  ServeOnce({Assign(6, {"sleep", "100"})}, /*cancel_when_running=*/{6});
  StartLoop();
  ASSERT_TRUE(Eventually([&] { return CompletionSent(6).has_value(); }));
  EXPECT_FALSE(CompletionSent(6)->succeeded);
  EXPECT_EQ(CompletionSent(6)->reason, "cancelled");
  EXPECT_TRUE(StopLoop().ok());
}

TEST_F(AgentLoopTest, StopKillsRunningTasksPromptlyAndReportsNothing) {
  ServeOnce({Assign(7, {"sh", "-c", "trap '' TERM; sleep 100"})});
  StartLoop();
  ASSERT_TRUE(Eventually([&] {
    auto syncs = server_.syncs();
    return std::any_of(syncs.begin(), syncs.end(), [](const auto& r) { return Has(r.running, 7); });
  }));
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(StopLoop().ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_FALSE(CompletionSent(7));
  EXPECT_TRUE(pending_->All().empty());
}

TEST_F(AgentLoopTest, ResendsLeftoverResultsThroughAnOutageUntilAccepted) {
  api::Completion leftover;
  leftover.attempt_id = 3;
  leftover.succeeded = true;
  ASSERT_TRUE(pending_->Add(leftover).ok());
  int calls = 0;
  server_.OnSync([&calls](const api::SyncRequest& request) -> Result<api::SyncResponse> {
    if (++calls <= 2) return Unavailable("connection refused");
    api::SyncResponse response;
    response.poll_ms = 50;
    for (const auto& c : request.completions) response.accepted.push_back(c.attempt_id);
    return response;
  });
  StartLoop();
  ASSERT_TRUE(Eventually([&] { return pending_->All().empty(); }));
  auto syncs = server_.syncs();
  ASSERT_GE(syncs.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(HasCompletion(syncs[i], 3)) << "sync " << i;
  EXPECT_FALSE(std::filesystem::exists(dirs_.pending + "/3.json"));
  EXPECT_TRUE(StopLoop().ok());
}

TEST_F(AgentLoopTest, RejectedCredentialEndsTheLoopWithAFix) {
  server_.OnSync([](const api::SyncRequest&) -> Result<api::SyncResponse> { return Unauthenticated("unknown host"); });
  StartLoop();
  thread_.join();
  EXPECT_EQ(result_.code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(result_.message().find("--join"), std::string::npos) << result_.message();
}

}  // namespace
}  // namespace gleaner::agent
