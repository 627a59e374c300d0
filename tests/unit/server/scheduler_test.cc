#include "server/scheduler/scheduler.h"

#include <gtest/gtest.h>

#include "server/scheduler/quorum.h"

namespace gleaner::server {
namespace {

using api::TaskState;

class SchedulerTest : public ::testing::Test {
 protected:
  static constexpr int64_t kLease = 10'000;

  static SchedulerConfig Config() {
    SchedulerConfig c;
    c.lease_ms = kLease;
    c.poll_ms = 500;
    c.retry_backoff_ms = 1'000;
    c.max_backoff_ms = 4'000;
    c.poison_hosts = 3;
    c.quarantine_after = 3;
    c.proven_after = 3;
    c.spot_check_one_in = 10;
    return c;
  }

  SchedulerTest() : scheduler_(Config()) {}

  // Lets `ms` pass and runs the periodic work.
  void Advance(int64_t ms) {
    now_ += ms;
    scheduler_.Tick(now_, out_);
  }

  int64_t Enroll(const std::string& name, int64_t slots) {
    api::EnrollRequest req;
    req.facts.hostname = name;
    req.facts.memory = 8LL << 30;
    req.slots = slots;
    return scheduler_.Enroll(req, "cred-" + name, now_, out_);
  }

  int64_t Submit(int64_t count, int64_t max_retries = 3) {
    api::JobSpec spec;
    spec.command = {"work", "{i}"};
    spec.count = count;
    spec.max_retries = max_retries;
    auto id = scheduler_.Submit(spec, "alice", now_, out_);
    EXPECT_TRUE(id.ok());
    return *id;
  }

  api::SyncResponse Sync(int64_t host, int64_t free_slots, std::vector<int64_t> running = {},
                         std::vector<api::Completion> done = {}) {
    api::SyncRequest req;
    req.free_slots = free_slots;
    req.running = std::move(running);
    req.completions = std::move(done);
    auto r = scheduler_.Sync(host, req, now_, out_);
    EXPECT_TRUE(r.ok());
    return *r;
  }

  static api::Completion Success(int64_t attempt) {
    api::Completion c;
    c.attempt_id = attempt;
    c.succeeded = true;
    c.exit_code = 0;
    c.outputs = {{"out.txt", std::string(64, 'a'), 3}};
    return c;
  }
  int64_t SubmitReplicated(int64_t count, int64_t replicas, int64_t quorum, bool adaptive = true) {
    api::JobSpec spec;
    spec.command = {"work", "{i}"};
    spec.count = count;
    spec.replicas = replicas;
    spec.quorum = quorum;
    spec.adaptive = adaptive;
    auto id = scheduler_.Submit(spec, "alice", now_, out_);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return *id;
  }
  // A successful result whose stdout is the blob named by `digit`: equal
  // digits are agreeing results.
  static api::Completion Answer(int64_t attempt, char digit) {
    api::Completion c = Success(attempt);
    c.stdout_ref = api::FileRef{"stdout", std::string(64, digit), 2};
    return c;
  }
  // Reports every one of `assignments` done with the answer `digit`, in one sync.
  void AnswerAll(int64_t host, const std::vector<api::Assignment>& assignments, char digit) {
    std::vector<api::Completion> done;
    for (const auto& a : assignments) done.push_back(Answer(a.attempt_id, digit));
    Sync(host, 0, {}, done);
  }
  api::HostView HostView(int64_t id) {
    for (const auto& h : scheduler_.ListHosts(now_).hosts) {
      if (h.id == id) return h;
    }
    ADD_FAILURE() << "no host " << id;
    return {};
  }
  static api::Completion Failure(int64_t attempt, int64_t code) {
    api::Completion c;
    c.attempt_id = attempt;
    c.exit_code = code;
    return c;
  }

  api::TaskView Task(int64_t job, int64_t index) { return scheduler_.ListTasks(job)->tasks.at(index); }

  // Rebuilds a second scheduler from everything recorded so far, as a restart would.
  Scheduler Restarted() {
    Snapshot snap;
    std::map<int64_t, JobRecord> jobs;
    std::map<std::pair<int64_t, int64_t>, TaskRecord> tasks;
    std::map<int64_t, AttemptRecord> attempts;
    std::map<int64_t, HostRecord> hosts;
    std::map<std::string, TokenRecord> tokens;
    for (const auto& r : out_.tokens) tokens[r.hash] = r;
    for (auto& [k, v] : tokens) snap.tokens.push_back(v);
    for (const auto& r : out_.jobs) jobs[r.id] = r;
    for (const auto& r : out_.tasks) tasks[{r.job_id, r.index}] = r;
    for (const auto& r : out_.attempts) attempts[r.id] = r;
    for (const auto& r : out_.hosts) hosts[r.id] = r;
    for (auto& [k, v] : jobs) snap.jobs.push_back(v);
    for (auto& [k, v] : tasks) snap.tasks.push_back(v);
    for (auto& [k, v] : hosts) snap.hosts.push_back(v);
    for (auto& [k, v] : attempts) {
      snap.max_attempt_id = std::max(snap.max_attempt_id, k);
      if (v.state == api::AttemptState::kAssigned || v.state == api::AttemptState::kRunning) {
        snap.live_attempts.push_back(v);
      }
    }
    Scheduler s(Config());
    s.Restore(snap, now_);
    return s;
  }

  Scheduler scheduler_;
  Batch out_;
  int64_t now_ = 1'000'000;
};

TEST_F(SchedulerTest, DispatchesInIndexOrderUpToFreeSlots) {
  int64_t host = Enroll("pc1", 2);
  int64_t job = Submit(5);
  auto r = Sync(host, 2);
  ASSERT_EQ(r.assignments.size(), 2u);
  EXPECT_EQ(r.assignments[0].index, 0);
  EXPECT_EQ(r.assignments[1].index, 1);
  EXPECT_EQ(r.assignments[1].command, (std::vector<std::string>{"work", "1"}));
  EXPECT_EQ(scheduler_.GetJob(job)->counts.running, 2);
  EXPECT_EQ(scheduler_.GetJob(job)->counts.queued, 3);
  EXPECT_EQ(scheduler_.GetJob(job)->state, api::JobState::kRunning);
}

TEST_F(SchedulerTest, CompletionIsAcceptedExactlyOnce) {
  int64_t host = Enroll("pc1", 1);
  int64_t job = Submit(2);
  auto a = Sync(host, 1).assignments.at(0);
  auto first = Sync(host, 0, {}, {Success(a.attempt_id)});
  EXPECT_EQ(first.accepted, std::vector<int64_t>{a.attempt_id});
  size_t records = out_.size();
  // The same report again, as after a dropped response: acknowledged, no effect.
  auto replay = Sync(host, 0, {}, {Success(a.attempt_id)});
  EXPECT_EQ(replay.accepted, std::vector<int64_t>{a.attempt_id});
  EXPECT_EQ(out_.size(), records);
  EXPECT_EQ(scheduler_.GetJob(job)->counts.done, 1);
  EXPECT_EQ(Task(job, 0).state, TaskState::kDone);
  EXPECT_EQ(Task(job, 0).outputs.at(0).name, "out.txt");
}

TEST_F(SchedulerTest, FailuresRetryThenFailWithTheReason) {
  int64_t host = Enroll("pc1", 1);
  int64_t job = Submit(1, /*max_retries=*/1);
  auto a1 = Sync(host, 1).assignments.at(0);
  EXPECT_TRUE(Sync(host, 1, {}, {Failure(a1.attempt_id, 3)}).assignments.empty());  // backing off
  EXPECT_EQ(Task(job, 0).state, TaskState::kQueued);
  Advance(1'000);
  auto r = Sync(host, 1);
  ASSERT_EQ(r.assignments.size(), 1u);
  EXPECT_EQ(Task(job, 0).attempts, 2);
  Sync(host, 1, {}, {Failure(r.assignments[0].attempt_id, 4)});
  auto t = Task(job, 0);
  EXPECT_EQ(t.state, TaskState::kFailed);
  EXPECT_EQ(t.reason, "gave up after 2 attempts: exit code 4");
  EXPECT_EQ(t.exit_code, 4);
  EXPECT_EQ(scheduler_.GetJob(job)->state, api::JobState::kFailed);
  EXPECT_NE(scheduler_.GetJob(job)->finished_at, 0);
}

TEST_F(SchedulerTest, SignalsAreDescribed) {
  int64_t host = Enroll("pc1", 1);
  int64_t job = Submit(1, 0);
  auto a = Sync(host, 1).assignments.at(0);
  api::Completion c;
  c.attempt_id = a.attempt_id;
  c.signal = 9;
  Sync(host, 0, {}, {c});
  EXPECT_EQ(Task(job, 0).reason, "gave up after 1 attempt: killed by signal 9 (SIGKILL)");
}

TEST_F(SchedulerTest, ExpiredLeaseRequeuesOnAnotherHost) {
  int64_t pc1 = Enroll("pc1", 1);
  int64_t pc2 = Enroll("pc2", 1);
  int64_t job = Submit(1);
  auto a = Sync(pc1, 1).assignments.at(0);
  now_ += kLease - 1;
  scheduler_.ExpireLeases(now_, out_);
  EXPECT_EQ(Task(job, 0).state, TaskState::kRunning);
  now_ += 2;
  scheduler_.ExpireLeases(now_, out_);
  EXPECT_EQ(Task(job, 0).state, TaskState::kQueued);
  EXPECT_EQ(Task(job, 0).reason, "lost: host pc1 stopped reporting");
  auto b = Sync(pc2, 1).assignments.at(0);
  EXPECT_NE(b.attempt_id, a.attempt_id);
  Sync(pc2, 0, {}, {Success(b.attempt_id)});
  EXPECT_EQ(Task(job, 0).state, TaskState::kDone);
  EXPECT_EQ(Task(job, 0).host, "pc2");
  // pc1 comes back still running the old attempt: it is told to stop.
  auto back = Sync(pc1, 0, {a.attempt_id});
  EXPECT_EQ(back.cancel, std::vector<int64_t>{a.attempt_id});
}

TEST_F(SchedulerTest, LateResultOfALostAttemptCountsOnceIfNobodyFinished) {
  int64_t pc1 = Enroll("pc1", 1);
  int64_t pc2 = Enroll("pc2", 1);
  int64_t job = Submit(1);
  auto a = Sync(pc1, 1).assignments.at(0);
  now_ += kLease + 1;
  scheduler_.ExpireLeases(now_, out_);
  auto b = Sync(pc2, 1).assignments.at(0);
  Sync(pc1, 1, {}, {Success(a.attempt_id)});
  EXPECT_EQ(Task(job, 0).state, TaskState::kDone);
  EXPECT_EQ(scheduler_.GetJob(job)->counts.done, 1);
  // pc2's attempt is now superfluous: it hears "cancel", and its result is ignored.
  EXPECT_EQ(Sync(pc2, 0, {b.attempt_id}).cancel, std::vector<int64_t>{b.attempt_id});
  Sync(pc2, 1, {}, {Success(b.attempt_id)});
  EXPECT_EQ(scheduler_.GetJob(job)->counts.done, 1);
}

TEST_F(SchedulerTest, AnAttemptTheAgentNoLongerHoldsIsLost) {
  int64_t host = Enroll("pc1", 2);
  int64_t job = Submit(2);
  auto r = Sync(host, 2);
  ASSERT_EQ(r.assignments.size(), 2u);
  // The agent restarted and only knows the first one.
  Sync(host, 0, {r.assignments[0].attempt_id});
  EXPECT_EQ(Task(job, 0).state, TaskState::kRunning);
  EXPECT_EQ(Task(job, 1).state, TaskState::kQueued);
  EXPECT_NE(Task(job, 1).reason.find("no longer runs it"), std::string::npos);
}

TEST_F(SchedulerTest, CancelStopsQueuedAndRunningWork) {
  int64_t host = Enroll("pc1", 1);
  int64_t job = Submit(3);
  auto a = Sync(host, 1).assignments.at(0);
  auto view = scheduler_.Cancel(job, now_, out_);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->state, api::JobState::kCancelled);
  EXPECT_EQ(view->counts.cancelled, 3);
  auto r = Sync(host, 1, {a.attempt_id});
  EXPECT_EQ(r.cancel, std::vector<int64_t>{a.attempt_id});
  EXPECT_TRUE(r.assignments.empty());
  EXPECT_EQ(scheduler_.Cancel(999, now_, out_).error().code, ErrorCode::kNotFound);
}

TEST_F(SchedulerTest, HigherPriorityFirstThenOldest) {
  int64_t host = Enroll("pc1", 1);
  int64_t low = Submit(1);
  api::JobSpec urgent;
  urgent.command = {"x"};
  urgent.priority = 5;
  int64_t high = *scheduler_.Submit(urgent, "bob", now_, out_);
  EXPECT_EQ(Sync(host, 1).assignments.at(0).job_id, high);
  EXPECT_NE(high, low);
}

TEST_F(SchedulerTest, TasksNeedingMoreCpusOrMemoryWaitForAHostThatFits) {
  int64_t small = Enroll("small", 1);
  api::JobSpec big;
  big.command = {"x"};
  big.cpus = 2;
  int64_t job = *scheduler_.Submit(big, "alice", now_, out_);
  EXPECT_TRUE(Sync(small, 1).assignments.empty());
  int64_t large = Enroll("large", 4);
  auto r = Sync(large, 4);
  ASSERT_EQ(r.assignments.size(), 1u);
  EXPECT_EQ(r.assignments[0].job_id, job);
}

TEST_F(SchedulerTest, SubmitRejectsBadSpecs) {
  api::JobSpec spec;
  spec.command = {"x"};
  spec.count = 0;
  auto r = scheduler_.Submit(spec, "alice", now_, out_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(out_.jobs.empty());
}

TEST_F(SchedulerTest, RestartKeepsEveryAcceptedResultAndRunningWork) {
  int64_t host = Enroll("pc1", 2);
  int64_t job = Submit(4);
  auto r = Sync(host, 2);
  Sync(host, 0, {r.assignments[1].attempt_id}, {Success(r.assignments[0].attempt_id)});
  Scheduler restarted = Restarted();
  auto view = restarted.GetJob(job);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->counts.done, 1);
  EXPECT_EQ(view->counts.running, 1);
  EXPECT_EQ(view->counts.queued, 2);
  // The agent reports to the new server: its running attempt is kept, and a
  // replay of the accepted completion changes nothing.
  api::SyncRequest req;
  req.free_slots = 1;
  req.running = {r.assignments[1].attempt_id};
  req.completions = {Success(r.assignments[0].attempt_id)};
  Batch out;
  auto resp = restarted.Sync(host, req, now_, out);
  ASSERT_TRUE(resp.ok());
  EXPECT_TRUE(resp->cancel.empty());
  ASSERT_EQ(resp->assignments.size(), 1u);
  EXPECT_EQ(resp->assignments[0].index, 2);
  EXPECT_GT(resp->assignments[0].attempt_id, r.assignments[1].attempt_id);
  EXPECT_EQ(restarted.GetJob(job)->counts.done, 1);
}

TEST_F(SchedulerTest, RestartOfACancelledJobKeepsItCancelled) {
  Enroll("pc1", 1);
  int64_t job = Submit(1000);
  ASSERT_TRUE(scheduler_.Cancel(job, now_, out_).ok());
  Scheduler restarted = Restarted();
  EXPECT_EQ(restarted.GetJob(job)->counts.cancelled, 1000);
  EXPECT_EQ(restarted.GetJob(job)->state, api::JobState::kCancelled);
}

TEST_F(SchedulerTest, AuthenticatesTokensAndHosts) {
  api::TokenCreateRequest admin{api::Role::kAdmin, "admin", std::nullopt, 0};
  ASSERT_TRUE(scheduler_.CreateToken("h-admin", admin, "test", now_, out_).ok());
  int64_t host = Enroll("pc1", 1);
  EXPECT_EQ((*scheduler_.Authenticate("h-admin", now_))->role, api::Role::kAdmin);
  EXPECT_EQ((*scheduler_.Authenticate("cred-pc1", now_))->host_id, host);
  EXPECT_FALSE(scheduler_.Authenticate("nope", now_)->has_value());
  EXPECT_TRUE(scheduler_.tokens().HasUsable(api::Role::kAdmin, now_));
  EXPECT_FALSE(scheduler_.tokens().HasUsable(api::Role::kViewer, now_));
  Scheduler restarted = Restarted();
  EXPECT_EQ((*restarted.Authenticate("h-admin", now_))->name, "admin");
}

TEST_F(SchedulerTest, AHostReadsOnlyTheInputsOfTheTasksItRunsNow) {
  int64_t runner = Enroll("runner", 1);
  int64_t idle = Enroll("idle", 1);
  api::JobSpec spec;
  spec.command = {"work"};
  spec.count = 1;
  spec.inputs = {{"data.bin", std::string(64, 'd'), 10}};
  ASSERT_TRUE(scheduler_.Submit(spec, "alice", now_, out_).ok());
  EXPECT_FALSE(scheduler_.HostMayRead(runner, std::string(64, 'd')));  // nothing assigned yet
  auto assigned = Sync(runner, 1);
  ASSERT_EQ(assigned.assignments.size(), 1u);
  EXPECT_TRUE(scheduler_.HostMayRead(runner, std::string(64, 'd')));
  EXPECT_FALSE(scheduler_.HostMayRead(runner, std::string(64, 'e')));
  EXPECT_FALSE(scheduler_.HostMayRead(idle, std::string(64, 'd')));
  Sync(runner, 0, {}, {Success(assigned.assignments[0].attempt_id)});
  EXPECT_FALSE(scheduler_.HostMayRead(runner, std::string(64, 'd')));  // done: no longer its task
}

TEST_F(SchedulerTest, ARevokedHostIsRefusedWithTheReasonAndItsAttemptsRequeued) {
  int64_t doomed = Enroll("doomed", 1);
  int64_t job = Submit(1);
  ASSERT_EQ(Sync(doomed, 1).assignments.size(), 1u);
  auto view = scheduler_.RevokeHost(doomed, now_, out_);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->revoked_at, now_);
  EXPECT_FALSE(view->online);
  auto refused = scheduler_.Authenticate("cred-doomed", now_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(refused.error().message.find("was revoked by an admin"), std::string::npos);
  EXPECT_EQ(scheduler_.GetJob(job)->counts.queued, 1);
  int64_t spare = Enroll("spare", 1);
  EXPECT_EQ(Sync(spare, 1).assignments.size(), 1u);
  Scheduler restarted = Restarted();
  EXPECT_FALSE(restarted.Authenticate("cred-doomed", now_).ok());
}

TEST_F(SchedulerTest, RetryBackoffDoublesUpToItsCap) {
  int64_t host = Enroll("pc1", 1);
  Submit(1, /*max_retries=*/10);
  std::vector<int64_t> waits;
  auto a = Sync(host, 1).assignments.at(0);
  for (int i = 0; i < 4; ++i) {
    Sync(host, 1, {}, {Failure(a.attempt_id, 1)});
    int64_t waited = 0;
    api::SyncResponse r;
    while ((r = Sync(host, 1)).assignments.empty()) {
      Advance(500);
      waited += 500;
    }
    waits.push_back(waited);
    a = r.assignments.at(0);
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{1'000, 2'000, 4'000, 4'000}));
}

TEST_F(SchedulerTest, ATaskFailingOnThreeHostsIsAtFaultItself) {
  int64_t job = Submit(1, /*max_retries=*/10);
  for (const char* name : {"pc1", "pc2", "pc3"}) {
    int64_t host = Enroll(name, 1);
    Advance(60'000);
    auto a = Sync(host, 1).assignments.at(0);
    Sync(host, 0, {}, {Failure(a.attempt_id, 2)});
  }
  auto t = Task(job, 0);
  EXPECT_EQ(t.state, TaskState::kFailed);
  EXPECT_EQ(t.attempts, 3);
  EXPECT_NE(t.reason.find("failed on 3 different hosts, so the task itself is at fault: exit code 2"),
            std::string::npos)
      << t.reason;
}

TEST_F(SchedulerTest, AHostFailingManyDistinctTasksIsQuarantinedUntilReleased) {
  int64_t bad = Enroll("bad", 3);
  int64_t job = Submit(6);
  auto r = Sync(bad, 3);
  ASSERT_EQ(r.assignments.size(), 3u);
  std::vector<api::Completion> failures;
  for (const auto& a : r.assignments) failures.push_back(Failure(a.attempt_id, 1));
  EXPECT_TRUE(Sync(bad, 3, {}, failures).assignments.empty());
  auto hosts = scheduler_.ListHosts(now_).hosts;
  ASSERT_TRUE(hosts[0].quarantined);
  EXPECT_EQ(hosts[0].quarantine_reason, "failed 3 different tasks in a row (last: exit code 1)");
  Advance(10'000);
  EXPECT_TRUE(Sync(bad, 3).assignments.empty()) << "a quarantined host gets no work";
  int64_t good = Enroll("good", 6);
  EXPECT_EQ(Sync(good, 6).assignments.size(), 6u) << "its failed tasks run elsewhere";
  ASSERT_TRUE(scheduler_.ReleaseHost(bad, now_, out_).ok());
  EXPECT_FALSE(scheduler_.ListHosts(now_).hosts[0].quarantined);
  EXPECT_EQ(scheduler_.ReleaseHost(99, now_, out_).code(), ErrorCode::kNotFound);
  EXPECT_EQ(scheduler_.GetJob(job)->counts.running, 6);
}

TEST_F(SchedulerTest, DeadlineFailsWhatIsUnfinished) {
  int64_t host = Enroll("pc1", 1);
  api::JobSpec spec;
  spec.command = {"x"};
  spec.count = 3;
  spec.deadline_ms = 60'000;
  int64_t job = *scheduler_.Submit(spec, "alice", now_, out_);
  auto a = Sync(host, 1).assignments.at(0);
  Sync(host, 1, {}, {Success(a.attempt_id)});
  Advance(59'000);
  EXPECT_EQ(scheduler_.GetJob(job)->state, api::JobState::kRunning);
  Advance(1'000);
  auto view = scheduler_.GetJob(job);
  EXPECT_EQ(view->state, api::JobState::kFailed);
  EXPECT_EQ(view->counts.done, 1);
  EXPECT_EQ(view->counts.failed, 2);
  EXPECT_EQ(Task(job, 1).reason, "the job's deadline of 1m passed");
  EXPECT_EQ(Task(job, 2).reason, "the job's deadline passed before it ran");
  Scheduler restarted = Restarted();
  EXPECT_EQ(restarted.GetJob(job)->counts.failed, 2);
  EXPECT_EQ(restarted.GetJob(job)->counts.done, 1);
}

TEST_F(SchedulerTest, LateResultForAFinishedTaskIsRecordedButNotAccepted) {
  int64_t pc1 = Enroll("pc1", 1);
  int64_t pc2 = Enroll("pc2", 1);
  int64_t job = Submit(1);
  auto a = Sync(pc1, 1).assignments.at(0);
  Advance(kLease + 1);
  auto b = Sync(pc2, 1).assignments.at(0);
  Sync(pc2, 0, {}, {Success(b.attempt_id)});
  out_ = Batch{};
  auto late = Sync(pc1, 0, {}, {Success(a.attempt_id)});
  EXPECT_EQ(late.accepted, std::vector<int64_t>{a.attempt_id});
  ASSERT_EQ(out_.attempts.size(), 1u);
  EXPECT_EQ(out_.attempts[0].id, a.attempt_id);
  EXPECT_EQ(out_.attempts[0].reason, "late result not accepted: the task had finished");
  EXPECT_TRUE(out_.tasks.empty());
  EXPECT_EQ(scheduler_.GetJob(job)->counts.done, 1);
}

// --- checkpoint migration (docs/checkpoints.md) --------------------------------

namespace checkpoints {

api::FileRef Blob(char c) { return {"checkpoint.tar", std::string(64, c), 10240}; }

api::SyncRequest Report(int64_t attempt, const api::FileRef& blob, std::vector<int64_t> running) {
  api::SyncRequest req;
  req.running = std::move(running);
  req.checkpoints.push_back({attempt, blob});
  return req;
}

}  // namespace checkpoints

TEST_F(SchedulerTest, LatestCheckpointOfTheLiveAttemptTravelsToTheNextAttemptOnAnotherHost) {
  using namespace checkpoints;
  int64_t pc1 = Enroll("pc1", 1);
  int64_t pc2 = Enroll("pc2", 1);
  int64_t job = Submit(1);
  auto a = Sync(pc1, 1).assignments.at(0);
  EXPECT_FALSE(a.checkpoint.has_value());  // nothing to resume yet
  ASSERT_TRUE(scheduler_.Sync(pc1, Report(a.attempt_id, Blob('1'), {a.attempt_id}), now_, out_).ok());
  size_t records = out_.size();
  ASSERT_TRUE(scheduler_.Sync(pc1, Report(a.attempt_id, Blob('2'), {a.attempt_id}), now_, out_).ok());
  EXPECT_EQ(out_.tasks.back().checkpoint->sha256, Blob('2').sha256);  // durable: in the batch
  EXPECT_EQ(out_.size(), records + 1);
  // The same report again changes nothing and writes nothing.
  ASSERT_TRUE(scheduler_.Sync(pc1, Report(a.attempt_id, Blob('2'), {a.attempt_id}), now_, out_).ok());
  EXPECT_EQ(out_.size(), records + 1);
  EXPECT_EQ(Task(job, 0).checkpoint->sha256, Blob('2').sha256);

  // pc1 goes silent (its agent was killed): the task moves to pc2 with the checkpoint.
  now_ += kLease + 1;
  scheduler_.ExpireLeases(now_, out_);
  auto b = Sync(pc2, 1).assignments.at(0);
  ASSERT_TRUE(b.checkpoint.has_value());
  EXPECT_EQ(b.checkpoint->sha256, Blob('2').sha256);

  // The stale attempt on pc1 comes back and reports a checkpoint: ignored.
  ASSERT_TRUE(scheduler_.Sync(pc1, Report(a.attempt_id, Blob('3'), {a.attempt_id}), now_, out_).ok());
  EXPECT_EQ(Task(job, 0).checkpoint->sha256, Blob('2').sha256);
  // And an attempt id of another host's is ignored too.
  ASSERT_TRUE(scheduler_.Sync(pc1, Report(b.attempt_id, Blob('4'), {}), now_, out_).ok());
  EXPECT_EQ(Task(job, 0).checkpoint->sha256, Blob('2').sha256);

  // A finished task needs no checkpoint.
  Sync(pc2, 0, {}, {Success(b.attempt_id)});
  EXPECT_EQ(Task(job, 0).state, TaskState::kDone);
  EXPECT_FALSE(Task(job, 0).checkpoint.has_value());
}

TEST_F(SchedulerTest, VacatedCompletionCarriesTheFinalCheckpointAndSurvivesARestart) {
  using namespace checkpoints;
  int64_t pc1 = Enroll("pc1", 1);
  int64_t job = Submit(1);
  auto a = Sync(pc1, 1).assignments.at(0);
  ASSERT_TRUE(scheduler_.Sync(pc1, Report(a.attempt_id, Blob('1'), {a.attempt_id}), now_, out_).ok());
  api::Completion vacated;
  vacated.attempt_id = a.attempt_id;
  vacated.vacated = true;
  vacated.reason = "vacated: owner active";
  vacated.checkpoint = Blob('5');
  Sync(pc1, 0, {}, {vacated});
  EXPECT_EQ(Task(job, 0).state, TaskState::kQueued);
  EXPECT_EQ(Task(job, 0).checkpoint->sha256, Blob('5').sha256);
  // The replay of that completion after the next attempt began changes nothing.
  Scheduler restarted = Restarted();
  EXPECT_EQ(restarted.ListTasks(job)->tasks.at(0).checkpoint->sha256, Blob('5').sha256);
  api::SyncRequest req;
  req.free_slots = 1;
  auto r = restarted.Sync(pc1, req, now_, out_);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->assignments.size(), 1u);
  EXPECT_EQ(r->assignments[0].checkpoint->sha256, Blob('5').sha256);
  vacated.checkpoint = Blob('6');
  api::SyncRequest replay;
  replay.running = {r->assignments[0].attempt_id};
  replay.completions = {vacated};
  ASSERT_TRUE(restarted.Sync(pc1, replay, now_, out_).ok());
  EXPECT_EQ(restarted.ListTasks(job)->tasks.at(0).checkpoint->sha256, Blob('5').sha256);
}

TEST_F(SchedulerTest, CheckpointThatIsNotASha256IsIgnored) {
  using namespace checkpoints;
  int64_t pc1 = Enroll("pc1", 1);
  int64_t job = Submit(1);
  auto a = Sync(pc1, 1).assignments.at(0);
  api::FileRef bad{"checkpoint.tar", "../../etc/passwd", 1};
  ASSERT_TRUE(scheduler_.Sync(pc1, Report(a.attempt_id, bad, {a.attempt_id}), now_, out_).ok());
  EXPECT_FALSE(Task(job, 0).checkpoint.has_value());
}

// --- result validation (docs/validation.md) ---------------------------------

TEST_F(SchedulerTest, ReplicasRunOnDistinctHostsAndAgreeingResultsAreAccepted) {
  int64_t pc1 = Enroll("pc1", 2), pc2 = Enroll("pc2", 2);
  int64_t job = SubmitReplicated(1, 2, 2);
  auto first = Sync(pc1, 2);
  ASSERT_EQ(first.assignments.size(), 1u);  // never two replicas of a task on one host
  auto second = Sync(pc2, 2);
  ASSERT_EQ(second.assignments.size(), 1u);
  EXPECT_EQ(second.assignments[0].index, 0);
  EXPECT_EQ(Task(job, 0).validation, "0 of 2 agreeing results so far (0 results, 2 replicas running)");
  Sync(pc1, 0, {}, {Answer(first.assignments[0].attempt_id, 'a')});
  EXPECT_EQ(Task(job, 0).state, TaskState::kRunning);
  EXPECT_EQ(Task(job, 0).validation, "1 of 2 agreeing results so far (1 results, 1 replicas running)");
  Sync(pc2, 0, {}, {Answer(second.assignments[0].attempt_id, 'a')});
  auto task = Task(job, 0);
  EXPECT_EQ(task.state, TaskState::kDone);
  EXPECT_EQ(task.stdout_ref->sha256, std::string(64, 'a'));
  EXPECT_EQ(task.validation, "accepted: 2 of 2 results agree (quorum 2)");
  EXPECT_EQ(HostView(pc1).agreements, 1);
  EXPECT_EQ(HostView(pc2).reliability, 1.0);
  // A replay of either completion changes nothing.
  size_t records = out_.size();
  Sync(pc2, 0, {}, {Answer(second.assignments[0].attempt_id, 'a')});
  EXPECT_EQ(out_.size(), records);
  EXPECT_EQ(HostView(pc2).agreements, 1);
}

TEST_F(SchedulerTest, DisagreementAddsAReplicaAndTheAgreeingResultWins) {
  int64_t liar = Enroll("liar", 1), pc2 = Enroll("pc2", 1), pc3 = Enroll("pc3", 1);
  int64_t job = SubmitReplicated(1, 2, 2);
  auto a1 = Sync(liar, 1).assignments.at(0);
  auto a2 = Sync(pc2, 1).assignments.at(0);
  EXPECT_TRUE(Sync(pc3, 1).assignments.empty());  // two replicas were asked for
  Sync(liar, 1, {}, {Answer(a1.attempt_id, 'x')});
  Sync(pc2, 1, {}, {Answer(a2.attempt_id, 'a')});
  EXPECT_EQ(Task(job, 0).state, TaskState::kQueued);  // 1 of 2: one more replica could settle it
  EXPECT_TRUE(Sync(liar, 1).assignments.empty());
  EXPECT_TRUE(Sync(pc2, 1).assignments.empty());
  auto a3 = Sync(pc3, 1).assignments.at(0);
  Sync(pc3, 1, {}, {Answer(a3.attempt_id, 'a')});
  auto task = Task(job, 0);
  ASSERT_EQ(task.state, TaskState::kDone);
  EXPECT_EQ(task.stdout_ref->sha256, std::string(64, 'a'));
  EXPECT_EQ(task.host, "pc2");
  EXPECT_EQ(task.validation, "accepted: 2 of 3 results agree (quorum 2)");
  EXPECT_EQ(HostView(liar).disagreements, 1);
  EXPECT_EQ(HostView(liar).reliability, 0.0);
  EXPECT_EQ(HostView(pc3).reliability, 1.0);
}

TEST_F(SchedulerTest, ResultsThatNeverAgreeFailTheTaskAtTheBound) {
  std::vector<int64_t> hosts;
  for (int i = 1; i <= 5; ++i) hosts.push_back(Enroll("pc" + std::to_string(i), 1));
  int64_t job = SubmitReplicated(1, 2, 2);
  for (int i = 0; i < 4; ++i) {
    auto r = Sync(hosts[i], 1);
    ASSERT_EQ(r.assignments.size(), 1u) << "replica " << i;
    Sync(hosts[i], 1, {}, {Answer(r.assignments[0].attempt_id, static_cast<char>('a' + i))});
  }
  auto task = Task(job, 0);
  ASSERT_EQ(task.state, TaskState::kFailed);
  EXPECT_EQ(task.reason,
            "results disagree: 4 hosts returned 4 different results and at most 1 agreed, short of the quorum of 2 "
            "(gave up at 4 replicas: --replicas 2 plus 2)");
  EXPECT_EQ(task.validation, task.reason);
  EXPECT_TRUE(Sync(hosts[4], 1).assignments.empty());
  EXPECT_FALSE(HostView(hosts[0]).reliability.has_value());  // nobody knows who was right
  EXPECT_EQ(scheduler_.GetJob(job)->state, api::JobState::kFailed);
}

TEST_F(SchedulerTest, RestartMidValidationKeepsResultsLiveReplicasAndDistinctHosts) {
  int64_t pc1 = Enroll("pc1", 1), pc2 = Enroll("pc2", 1), pc3 = Enroll("pc3", 1);
  int64_t job = SubmitReplicated(1, 3, 2);
  auto a1 = Sync(pc1, 1).assignments.at(0);
  auto a2 = Sync(pc2, 1).assignments.at(0);
  auto a3 = Sync(pc3, 1).assignments.at(0);
  Sync(pc1, 1, {}, {Answer(a1.attempt_id, 'a')});
  Scheduler restarted = Restarted();
  auto view = restarted.ListTasks(job)->tasks.at(0);
  EXPECT_EQ(view.state, TaskState::kRunning);
  EXPECT_EQ(view.validation, "1 of 2 agreeing results so far (1 results, 2 replicas running)");
  Batch out;
  api::SyncRequest again;
  again.free_slots = 1;
  auto r1 = restarted.Sync(pc1, again, now_, out);  // pc1 gave its result already
  ASSERT_TRUE(r1.ok());
  EXPECT_TRUE(r1->assignments.empty());
  api::SyncRequest running;
  running.running = {a2.attempt_id};
  auto r2 = restarted.Sync(pc2, running, now_, out);
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->cancel.empty());
  api::SyncRequest done;
  done.completions = {Answer(a3.attempt_id, 'a')};
  ASSERT_TRUE(restarted.Sync(pc3, done, now_, out).ok());
  view = restarted.ListTasks(job)->tasks.at(0);
  EXPECT_EQ(view.state, TaskState::kDone);
  EXPECT_EQ(view.validation, "accepted: 2 of 2 results agree (quorum 2)");
  // The replica still running on pc2 is told to stop.
  auto r3 = restarted.Sync(pc2, running, now_, out);
  EXPECT_EQ(r3->cancel, std::vector<int64_t>{a2.attempt_id});
  bool counted = false;
  for (const auto& h : out.hosts) counted |= h.id == pc3 && h.agreements == 1;
  EXPECT_TRUE(counted);
}

TEST_F(SchedulerTest, ALostReplicaIsReplacedAndItsLateResultIsNotUsed) {
  int64_t pc1 = Enroll("pc1", 1), pc2 = Enroll("pc2", 1), pc3 = Enroll("pc3", 1);
  int64_t job = SubmitReplicated(1, 2, 2);
  auto a1 = Sync(pc1, 1).assignments.at(0);
  auto a2 = Sync(pc2, 1).assignments.at(0);
  now_ += kLease / 2;
  Sync(pc2, 0, {a2.attempt_id});
  Advance(kLease / 2 + 1);  // pc1 silent: its replica is lost
  auto a3 = Sync(pc3, 1).assignments.at(0);
  EXPECT_EQ(a3.index, 0);
  Sync(pc1, 1, {}, {Answer(a1.attempt_id, 'x')});  // too late, and wrong
  EXPECT_EQ(Task(job, 0).state, TaskState::kRunning);
  Sync(pc2, 0, {}, {Answer(a2.attempt_id, 'a')});
  Sync(pc3, 0, {}, {Answer(a3.attempt_id, 'a')});
  EXPECT_EQ(Task(job, 0).state, TaskState::kDone);
  EXPECT_EQ(Task(job, 0).stdout_ref->sha256, std::string(64, 'a'));
  EXPECT_EQ(HostView(pc1).disagreements, 0);  // its late result never entered the vote
}

TEST_F(SchedulerTest, TwoReplicasLostInOneTickFailTheTaskOnce) {
  int64_t pc1 = Enroll("pc1", 1), pc2 = Enroll("pc2", 1);
  api::JobSpec spec;
  spec.command = {"work", "{i}"};
  spec.count = 1;
  spec.replicas = 2;
  spec.quorum = 2;
  spec.max_retries = 0;
  int64_t job = *scheduler_.Submit(spec, "alice", now_, out_);
  Sync(pc1, 1);
  Sync(pc2, 1);
  // Both hosts fall silent: the first loss gives up on the task and ends its
  // sibling replica, which the same tick must then skip, not look up.
  Advance(kLease + 1);
  EXPECT_EQ(Task(job, 0).state, TaskState::kFailed);
  EXPECT_EQ(scheduler_.live_attempts(), 0);
}

TEST_F(SchedulerTest, AFailedReplicaIsRetriedWithoutCountingAsAResult) {
  int64_t pc1 = Enroll("pc1", 1), pc2 = Enroll("pc2", 1), pc3 = Enroll("pc3", 1);
  int64_t job = SubmitReplicated(1, 2, 2);
  auto a1 = Sync(pc1, 1).assignments.at(0);
  auto a2 = Sync(pc2, 1).assignments.at(0);
  Sync(pc1, 0, {}, {Failure(a1.attempt_id, 3)});
  EXPECT_EQ(Task(job, 0).state, TaskState::kRunning);  // pc2's replica still runs
  EXPECT_TRUE(Sync(pc3, 1).assignments.empty());        // the retry waits out its backoff
  Advance(1'000);
  auto a3 = Sync(pc3, 1).assignments.at(0);
  Sync(pc2, 0, {}, {Answer(a2.attempt_id, 'a')});
  Sync(pc3, 0, {}, {Answer(a3.attempt_id, 'a')});
  EXPECT_EQ(Task(job, 0).state, TaskState::kDone);
  EXPECT_EQ(Task(job, 0).attempts, 3);
}

TEST_F(SchedulerTest, AdaptiveReplicationLetsAProvenHostRunAloneButForSpotChecks) {
  int64_t pc1 = Enroll("pc1", 20), pc2 = Enroll("pc2", 20);
  // Three agreeing results make both hosts proven (proven_after = 3 here).
  int64_t warmup = SubmitReplicated(3, 2, 2);
  auto w1 = Sync(pc1, 3).assignments;
  auto w2 = Sync(pc2, 3).assignments;
  ASSERT_EQ(w1.size(), 3u);
  ASSERT_EQ(w2.size(), 3u);
  AnswerAll(pc1, w1, 'a');
  AnswerAll(pc2, w2, 'a');
  ASSERT_EQ(scheduler_.GetJob(warmup)->counts.done, 3);
  ASSERT_EQ(HostView(pc1).agreements, 3);

  int64_t job = SubmitReplicated(20, 2, 2);
  auto on_pc1 = Sync(pc1, 20).assignments;
  ASSERT_EQ(on_pc1.size(), 20u);
  std::set<int64_t> spot_checked;
  for (int64_t i = 0; i < 20; ++i) {
    if (IsSpotChecked(job, i, 10)) spot_checked.insert(i);
  }
  std::set<int64_t> on_pc2;
  for (const auto& a : Sync(pc2, 20).assignments) on_pc2.insert(a.index);
  EXPECT_EQ(on_pc2, spot_checked);  // only spot checks get a second replica
  int64_t alone = 0;
  while (spot_checked.count(alone)) ++alone;
  EXPECT_EQ(Task(job, alone).validation, "running on proven host pc1 alone");
  AnswerAll(pc1, on_pc1, 'a');
  for (int64_t i = 0; i < 20; ++i) {
    auto task = Task(job, i);
    if (spot_checked.count(i)) {
      EXPECT_EQ(task.state, TaskState::kRunning) << i;
    } else {
      EXPECT_EQ(task.state, TaskState::kDone) << i;
      EXPECT_EQ(task.validation, "accepted from proven host pc1 alone (3 agreeing results, none disagreeing; "
                                 "adaptive replication)");
    }
  }
  // A job that asks for strict replication gets it, proven hosts or not.
  int64_t strict = SubmitReplicated(2, 2, 2, /*adaptive=*/false);
  EXPECT_EQ(Sync(pc1, 20).assignments.size(), 2u);
  std::set<int64_t> strict_on_pc2;
  for (const auto& a : Sync(pc2, 20).assignments) {
    if (a.job_id == strict) strict_on_pc2.insert(a.index);
  }
  EXPECT_EQ(strict_on_pc2, (std::set<int64_t>{0, 1}));
}

TEST_F(SchedulerTest, AProvenHostThatDisagreesIsProvenNoMore) {
  int64_t pc1 = Enroll("pc1", 4), pc2 = Enroll("pc2", 4), pc3 = Enroll("pc3", 4);
  int64_t warmup = SubmitReplicated(3, 2, 2);
  auto w1 = Sync(pc1, 3).assignments;
  auto w2 = Sync(pc2, 3).assignments;
  AnswerAll(pc1, w1, 'a');
  AnswerAll(pc2, w2, 'a');
  ASSERT_EQ(scheduler_.GetJob(warmup)->counts.done, 3);
  // pc1 now lies on a task pc2 and pc3 answer truly.
  int64_t job = SubmitReplicated(1, 3, 2, /*adaptive=*/false);
  auto b1 = Sync(pc1, 1).assignments.at(0);
  auto b2 = Sync(pc2, 1).assignments.at(0);
  auto b3 = Sync(pc3, 1).assignments.at(0);
  Sync(pc1, 0, {}, {Answer(b1.attempt_id, 'x')});
  Sync(pc2, 0, {}, {Answer(b2.attempt_id, 'a')});
  Sync(pc3, 0, {}, {Answer(b3.attempt_id, 'a')});
  ASSERT_EQ(Task(job, 0).state, TaskState::kDone);
  EXPECT_EQ(Task(job, 0).stdout_ref->sha256, std::string(64, 'a'));
  EXPECT_EQ(HostView(pc1).reliability, 0.75);
  // Adaptive jobs now replicate every task pc1 runs.
  int64_t next = SubmitReplicated(4, 2, 2);
  EXPECT_EQ(Sync(pc1, 4).assignments.size(), 4u);
  EXPECT_EQ(Sync(pc3, 4).assignments.size(), 4u);
  EXPECT_EQ(scheduler_.GetJob(next)->counts.running, 4);
}

TEST_F(SchedulerTest, ARestartedAgentsFactsReplaceWhatItEnrolledWithButItsName) {
  api::EnrollRequest enrol;
  enrol.facts = {"pc1", "linux", "x86_64", 4, 8LL << 30, "0.1", "none (bwrap missing); runs no tasks"};
  enrol.slots = 4;
  int64_t pc1 = scheduler_.Enroll(enrol, "cred-pc1", now_, out_);
  size_t records = out_.hosts.size();
  api::SyncRequest same;
  same.facts = enrol.facts;
  ASSERT_TRUE(scheduler_.Sync(pc1, same, now_, out_).ok());
  EXPECT_EQ(out_.hosts.size(), records);  // nothing changed: nothing written
  api::SyncRequest changed;
  changed.facts = {"renamed", "linux", "x86_64", 8, 16LL << 30, "0.2", "bubblewrap"};
  ASSERT_TRUE(scheduler_.Sync(pc1, changed, now_, out_).ok());
  auto view = HostView(pc1);
  EXPECT_EQ(view.facts.hostname, "pc1");
  EXPECT_EQ(view.facts.sandbox, "bubblewrap");
  EXPECT_EQ(view.facts.cores, 8);
  EXPECT_EQ(view.facts.memory, 16LL << 30);
  EXPECT_EQ(view.facts.agent_version, "0.2");
  ASSERT_EQ(out_.hosts.size(), records + 1);
  EXPECT_EQ(out_.hosts.back().facts.sandbox, "bubblewrap");  // durable, so a server restart keeps it
}

TEST_F(SchedulerTest, AHostWhoseResultsMostlyDisagreeIsQuarantined) {
  int64_t liar = Enroll("liar", 3), pc2 = Enroll("pc2", 3), pc3 = Enroll("pc3", 3);
  SubmitReplicated(3, 2, 2, /*adaptive=*/false);
  AnswerAll(liar, Sync(liar, 3).assignments, 'x');
  AnswerAll(pc2, Sync(pc2, 3).assignments, 'a');
  EXPECT_FALSE(HostView(liar).quarantined);  // nobody knows yet who is right
  AnswerAll(pc3, Sync(pc3, 3).assignments, 'a');
  auto view = HostView(liar);
  ASSERT_TRUE(view.quarantined);
  EXPECT_EQ(view.quarantine_reason,
            "its results disagreed with the accepted result on 3 of 3 replicated tasks (check its hardware and "
            "agent, then `gleaner host release`)");
  EXPECT_FALSE(HostView(pc2).quarantined);
  SubmitReplicated(1, 2, 2);
  EXPECT_TRUE(Sync(liar, 3).assignments.empty());
}

// --- fuzzy comparison (a tolerance) ---

class FuzzySchedulerTest : public SchedulerTest {
 protected:
  int64_t SubmitFuzzy(int64_t replicas, int64_t quorum) {
    api::JobSpec spec;
    spec.command = {"simulate", "{i}"};
    spec.replicas = replicas;
    spec.quorum = quorum;
    spec.tolerance = 1e-6;
    auto id = scheduler_.Submit(spec, "alice", now_, out_);
    EXPECT_TRUE(id.ok()) << id.error().message;
    return *id;
  }
  // pc1 and pc2 each run a replica of a new one-task job with a tolerance and
  // answer `first` and `second` (equal digits: equal bytes). Returns the job
  // and the two attempts.
  std::tuple<int64_t, int64_t, int64_t> AnswerTwice(char first, char second) {
    int64_t pc1 = Enroll("pc1", 1), pc2 = Enroll("pc2", 1);
    int64_t job = SubmitFuzzy(2, 2);
    auto a1 = Sync(pc1, 1).assignments.at(0);
    auto a2 = Sync(pc2, 1).assignments.at(0);
    Sync(pc1, 0, {}, {Answer(a1.attempt_id, first)});
    Sync(pc2, 0, {}, {Answer(a2.attempt_id, second)});
    return {job, a1.attempt_id, a2.attempt_id};
  }
  // Answers the one comparison waiting: agreeing with the first group, or with none.
  ComparisonRequest Compare(bool agrees, const std::string& difference = "stdout line 1, field 1: 1 vs 2") {
    auto taken = scheduler_.TakeComparisons(8);
    EXPECT_EQ(taken.size(), 1u);
    if (taken.empty()) return {};
    const ComparisonRequest& r = taken[0];
    scheduler_.RecordComparison(r.job_id, r.index, r.candidate.attempt_id, agrees ? r.groups.at(0).hash : "",
                                agrees ? "" : difference, now_, out_);
    return r;
  }
};

TEST_F(FuzzySchedulerTest, AResultThatDiffersWaitsForAComparisonThenJoinsTheGroupItAgreesWith) {
  int64_t pc1 = Enroll("pc1", 1), pc2 = Enroll("pc2", 1), pc3 = Enroll("pc3", 1);
  int64_t job = SubmitFuzzy(2, 2);
  auto a1 = Sync(pc1, 1).assignments.at(0);
  auto a2 = Sync(pc2, 1).assignments.at(0);
  Sync(pc1, 0, {}, {Answer(a1.attempt_id, 'a')});
  EXPECT_TRUE(scheduler_.TakeComparisons(8).empty());  // the first result founds the first group
  Sync(pc2, 0, {}, {Answer(a2.attempt_id, 'b')});
  EXPECT_EQ(Task(job, 0).validation,
            "1 of 2 agreeing results so far (2 results, 0 replicas running, 1 being compared)");
  EXPECT_TRUE(Sync(pc3, 1).assignments.empty());  // it may yet agree: no replica is added meanwhile
  auto taken = scheduler_.TakeComparisons(8);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_TRUE(scheduler_.TakeComparisons(8).empty());  // taken: not offered twice
  const ComparisonRequest& r = taken[0];
  EXPECT_EQ(r.job_id, job);
  EXPECT_EQ(r.candidate.attempt_id, a2.attempt_id);
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_EQ(r.groups[0].attempt_id, a1.attempt_id);
  EXPECT_EQ(r.tolerance, 1e-6);
  scheduler_.RecordComparison(r.job_id, r.index, r.candidate.attempt_id, r.groups[0].hash, "", now_, out_);
  auto task = Task(job, 0);
  ASSERT_EQ(task.state, TaskState::kDone);
  EXPECT_EQ(task.stdout_ref->sha256, std::string(64, 'a'));  // the first result of the group is accepted
  EXPECT_EQ(task.validation, "accepted: 2 of 2 results agree (quorum 2)");
  EXPECT_EQ(HostView(pc2).agreements, 1);
  // A late or repeated answer changes nothing.
  size_t records = out_.size();
  scheduler_.RecordComparison(r.job_id, r.index, r.candidate.attempt_id, "", "x", now_, out_);
  EXPECT_EQ(out_.size(), records);
}

TEST_F(FuzzySchedulerTest, EqualBytesAgreeWithoutAComparison) {
  auto [job, a1, a2] = AnswerTwice('a', 'a');
  EXPECT_EQ(Task(job, 0).state, TaskState::kDone);
  EXPECT_TRUE(scheduler_.TakeComparisons(8).empty());
}

TEST_F(FuzzySchedulerTest, ResultsAgreeingWithNoneAddReplicasThenFailSayingWhereTheyDiffered) {
  std::vector<int64_t> hosts;
  for (int i = 1; i <= 4; ++i) hosts.push_back(Enroll("pc" + std::to_string(i), 1));
  int64_t job = SubmitFuzzy(2, 2);
  for (int i = 0; i < 4; ++i) {
    auto r = Sync(hosts[i], 1);
    ASSERT_EQ(r.assignments.size(), 1u) << "replica " << i;
    Sync(hosts[i], 1, {}, {Answer(r.assignments[0].attempt_id, static_cast<char>('a' + i))});
    if (i == 0) continue;
    ComparisonRequest asked = Compare(false);
    EXPECT_EQ(asked.groups.size(), static_cast<size_t>(i));  // one per group so far, oldest first
  }
  auto task = Task(job, 0);
  ASSERT_EQ(task.state, TaskState::kFailed);
  EXPECT_EQ(task.reason,
            "results disagree: 4 hosts returned 4 different results and at most 1 agreed, short of the quorum of 2 "
            "(gave up at 4 replicas: --replicas 2 plus 2); pc2's result differs from pc1's: stdout line 1, "
            "field 1: 1 vs 2");
}

TEST_F(FuzzySchedulerTest, AComparisonInterruptedByARestartIsOfferedAgain) {
  auto [job, a1, a2] = AnswerTwice('a', 'b');
  ASSERT_EQ(scheduler_.TakeComparisons(8).size(), 1u);  // taken, then the server dies
  Scheduler restarted = Restarted();
  auto taken = restarted.TakeComparisons(8);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].candidate.attempt_id, a2);
  Batch out;
  restarted.RecordComparison(job, 0, a2, taken[0].groups.at(0).hash, "", now_, out);
  EXPECT_EQ(restarted.ListTasks(job)->tasks.at(0).state, TaskState::kDone);
}

TEST_F(SchedulerTest, SubmitRefusesAToleranceWithoutReplicasOrOutOfRange) {
  api::JobSpec spec;
  spec.command = {"work"};
  spec.tolerance = 1e-9;
  auto id = scheduler_.Submit(spec, "alice", now_, out_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().message, "a tolerance compares the results of replicas: add --replicas 2 or more");
  spec.replicas = 2;
  spec.quorum = 2;
  spec.tolerance = 1.5;
  id = scheduler_.Submit(spec, "alice", now_, out_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().message, "tolerance 1.5 is out of range: it is relative, at least 0 and below 1 (e.g. 1e-9)");
  spec.tolerance = 0;
  spec.abs_tolerance = -1;
  id = scheduler_.Submit(spec, "alice", now_, out_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().message, "abs_tolerance -1 must be a finite number, at least 0");
}

TEST_F(SchedulerTest, SubmitRefusesAQuorumAboveTheReplicas) {
  api::JobSpec spec;
  spec.command = {"work"};
  spec.replicas = 2;
  spec.quorum = 3;
  auto id = scheduler_.Submit(spec, "alice", now_, out_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(id.error().message.find("quorum 3 is out of range"), std::string::npos) << id.error().message;
  spec.replicas = 11;
  spec.quorum = 1;
  id = scheduler_.Submit(spec, "alice", now_, out_);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().message, "replicas must be between 1 and 10, not 11");
}

}  // namespace
}  // namespace gleaner::server
