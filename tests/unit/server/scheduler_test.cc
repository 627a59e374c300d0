#include "server/scheduler/scheduler.h"

#include <gtest/gtest.h>

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
  scheduler_.AddToken("h-admin", api::Role::kAdmin, "admin", now_, out_);
  int64_t host = Enroll("pc1", 1);
  EXPECT_EQ(scheduler_.Authenticate("h-admin")->role, api::Role::kAdmin);
  EXPECT_EQ(scheduler_.Authenticate("cred-pc1")->host_id, host);
  EXPECT_FALSE(scheduler_.Authenticate("nope").has_value());
  EXPECT_TRUE(scheduler_.HasToken(api::Role::kAdmin));
  EXPECT_FALSE(scheduler_.HasToken(api::Role::kViewer));
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

}  // namespace
}  // namespace gleaner::server
