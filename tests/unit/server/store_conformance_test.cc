// The Store conformance suite (store_conformance.h): apply and load back,
// an empty batch as a barrier, idempotent replays, a reopened store, backup
// and restore, the integrity check.
#include "store_conformance.h"

#include <filesystem>
#include <future>
#include <sstream>

#include "server/store/committer.h"
#include "test_support.h"

namespace gleaner::server::testing {

void StoreConformanceTest::SetUp() {
  std::string why = GetParam().unavailable ? GetParam().unavailable() : "";
  if (!why.empty()) GTEST_SKIP() << why;
}

void StoreConformanceTest::TearDown() {
  for (const auto& dir : dirs_) std::filesystem::remove_all(dir);
}

StoreLocation StoreConformanceTest::NewLocation() {
  dirs_.push_back(NewTempDir("gleaner-conformance"));
  EXPECT_FALSE(dirs_.back().empty());
  return GetParam().new_location(dirs_.back());
}

std::unique_ptr<Store> StoreConformanceTest::Open(const StoreLocation& where) {
  auto store = OpenStore(where);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(*store) : nullptr;
}

namespace {

constexpr int64_t kDay = 86'400'000;

// A sound state: job 1 of 4 tasks; task 0 done by attempt 9, task 1 running
// attempt 10, task 2 queued again after attempt 11 failed; host 5 ran them.
Batch SoundBatch() {
  Batch b;
  JobRecord job{1, {}, "alice", 100, false, 0};
  job.spec.command = {"echo", "{i}"};
  job.spec.count = 4;
  b.jobs.push_back(job);
  TaskRecord done{1, 0, api::TaskState::kDone, 1, 5, {}};
  done.outcome.attempt_id = 9;
  done.outcome.exit_code = 0;
  done.outcome.outputs = {{"out", std::string(64, 'f'), 12}};
  done.outcome.stdout_ref = api::FileRef{"stdout", std::string(64, 'e'), 4};
  b.tasks.push_back(done);
  TaskRecord running{1, 1, api::TaskState::kRunning, 1, 5, {}, api::FileRef{"ckpt", std::string(64, 'c'), 7}};
  b.tasks.push_back(running);
  b.tasks.push_back({1, 2, api::TaskState::kQueued, 1, 0, {}});
  b.attempts.push_back({9, 1, 0, 5, api::AttemptState::kSucceeded, kDay + 100, kDay + 200, "", 40, 100});
  b.attempts.push_back({10, 1, 1, 5, api::AttemptState::kAssigned, kDay + 150, 0, ""});
  b.attempts.push_back({11, 1, 2, 5, api::AttemptState::kFailed, kDay + 120, kDay + 300, "exit 1", 5, 180});
  HostRecord host{5, {}, 4, "credential", 50};
  host.facts.hostname = "pc5";
  b.hosts.push_back(host);
  b.tokens.push_back({"tokhash", api::Role::kSubmitter, "bob", 60});
  b.tokens.back().allow_network = true;  // schema version 2
  api::Policy policy;
  policy.window = "Mon-Fri 19:00-07:00";
  b.policies.push_back({"*", policy});
  b.audit.push_back({0, 70, "admin", "admin", "127.0.0.1", "token.create", "bob", "ok", ""});
  return b;
}

// The parts of a snapshot the server rebuilds from, in words, so a
// difference between two shows in the failure message.
std::string Describe(const Snapshot& s) {
  std::ostringstream out;
  for (const auto& j : s.jobs) {
    out << "job " << j.id << " " << j.owner << " n=" << j.spec.count << " cmd=";
    for (const auto& word : j.spec.command) out << "[" << word << "]";
    out << " created=" << j.created_at << " cancelled=" << j.cancelled << " finished=" << j.finished_at << "\n";
  }
  for (const auto& t : s.tasks) {
    out << "task " << t.job_id << "/" << t.index << " " << api::TaskStateName(t.state) << " attempts=" << t.attempts
        << " host=" << t.host_id << " accepted=" << t.outcome.attempt_id;
    if (t.outcome.exit_code) out << " exit=" << *t.outcome.exit_code;
    for (const auto& file : t.outcome.outputs) out << " " << file.name << ":" << file.size;
    if (t.outcome.stdout_ref) out << " stdout=" << t.outcome.stdout_ref->name;
    out << " checkpoint=" << (t.checkpoint ? t.checkpoint->sha256 : "-") << "\n";
  }
  for (const auto& a : s.live_attempts) {
    out << "attempt " << a.id << " " << a.job_id << "/" << a.index << " " << api::AttemptStateName(a.state)
        << " host=" << a.host_id << " started=" << a.started_at << "\n";
  }
  for (const auto& h : s.hosts) {
    out << "host " << h.id << " " << h.facts.hostname << " slots=" << h.slots << " " << h.credential_hash << "\n";
  }
  for (const auto& t : s.tokens) {
    out << "token " << t.hash << " " << api::RoleName(t.role) << " " << t.name << (t.allow_network ? " network" : "")
        << "\n";
  }
  for (const auto& p : s.policies) out << "policy " << p.scope << " " << p.policy.window << "\n";
  out << "max attempt " << s.max_attempt_id << "\n";
  return out.str();
}

std::string DescribeLoaded(Store& store) {
  auto snapshot = store.LoadAll();
  EXPECT_TRUE(snapshot.ok()) << snapshot.error().message;
  return snapshot.ok() ? Describe(*snapshot) : "";
}

size_t AuditCount(Store& store) {
  auto events = store.Audit({});
  EXPECT_TRUE(events.ok()) << events.error().message;
  return events.ok() ? events->size() : 0;
}

// SoundBatch() as Describe() shows it.
const std::string kSoundState =
    "job 1 alice n=4 cmd=[echo][{i}] created=100 cancelled=0 finished=0\n"
    "task 1/0 done attempts=1 host=5 accepted=9 exit=0 out:12 stdout=stdout checkpoint=-\n"
    "task 1/1 running attempts=1 host=5 accepted=0 checkpoint=" + std::string(64, 'c') + "\n"
    "task 1/2 queued attempts=1 host=0 accepted=0 checkpoint=-\n"
    "attempt 10 1/1 assigned host=5 started=86400150\n"
    "host 5 pc5 slots=4 credential\n"
    "token tokhash submitter bob network\n"
    "policy * Mon-Fri 19:00-07:00\n"
    "max attempt 11\n";

TEST_P(StoreConformanceTest, AppliedBatchIsLoadedBack) {
  auto store = Open(NewLocation());
  ASSERT_TRUE(store);
  EXPECT_EQ(DescribeLoaded(*store), "max attempt 0\n");
  ASSERT_TRUE(store->Apply(SoundBatch()).ok());
  EXPECT_EQ(DescribeLoaded(*store), kSoundState);
  // A later record with the same key wins, within a batch and across batches.
  Batch b;
  JobRecord job = SoundBatch().jobs[0];
  job.finished_at = 250;
  b.jobs.push_back(job);
  job.finished_at = 300;
  b.jobs.push_back(job);
  ASSERT_TRUE(store->Apply(b).ok());
  auto snapshot = store->LoadAll();
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
  ASSERT_EQ(snapshot->jobs.size(), 1u);
  EXPECT_EQ(snapshot->jobs[0].finished_at, 300);
}

TEST_P(StoreConformanceTest, EmptyBatchIsABarrier) {
  StoreLocation where = NewLocation();
  auto store = Open(where);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Apply(Batch{}).ok());  // changes nothing
  EXPECT_EQ(DescribeLoaded(*store), "max attempt 0\n");
  std::promise<void> durable;
  {
    Committer committer(*store);
    committer.Enqueue(SoundBatch(), nullptr);
    committer.Enqueue(Batch{}, [&durable] { durable.set_value(); });
    ASSERT_EQ(durable.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
    // Once the empty batch's completion runs, what was enqueued before it is
    // durable: another connection sees it.
    auto reader = OpenStoreReader(where);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    EXPECT_EQ(DescribeLoaded(**reader), kSoundState);
  }
}

TEST_P(StoreConformanceTest, ReplaysAreIdempotentAndAuditIsAppended) {
  auto store = Open(NewLocation());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Apply(SoundBatch()).ok());
  ASSERT_TRUE(store->Apply(SoundBatch()).ok());  // the same upserts again
  EXPECT_EQ(DescribeLoaded(*store), kSoundState);
  EXPECT_EQ(AuditCount(*store), 2u);  // events are appended, never replaced
}

TEST_P(StoreConformanceTest, ReopenedStoreSeesEverythingCommitted) {
  StoreLocation where = NewLocation();
  {
    auto store = Open(where);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Apply(SoundBatch()).ok());
  }
  auto store = Open(where);
  ASSERT_TRUE(store);
  EXPECT_EQ(DescribeLoaded(*store), kSoundState);
  EXPECT_EQ(AuditCount(*store), 1u);
}

TEST_P(StoreConformanceTest, UsageSumsFinishedAttemptsPerHostUserAndDay) {
  auto store = Open(NewLocation());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Apply(SoundBatch()).ok());
  auto rows = store->Usage(0);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);  // attempt 10 is still in flight
  const UsageRow& row = rows->front();
  EXPECT_EQ(row.host, "pc5");
  EXPECT_EQ(row.user, "alice");
  EXPECT_EQ(row.day, kDay);
  EXPECT_EQ(row.cpu_ms, 45);
  EXPECT_EQ(row.wall_ms, 280);
  EXPECT_EQ(row.succeeded, 1);
  EXPECT_EQ(row.failed, 1);
  auto later = store->Usage(kDay + 250);
  ASSERT_TRUE(later.ok()) << later.error().message;
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->front().succeeded, 0);
  EXPECT_EQ(later->front().failed, 1);
}

TEST_P(StoreConformanceTest, BackupThenRestoreRoundTrips) {
  StoreLocation original = NewLocation();
  auto store = Open(original);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Apply(SoundBatch()).ok());
  std::string backup = NewTempDir("gleaner-conformance-backup");
  auto copied = OpenStoreMaintenance(original)->BackupInto(backup);
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  EXPECT_EQ(Describe(*copied), kSoundState);
  // What is committed after the backup is not in it.
  Batch later;
  later.tokens.push_back({"later", api::Role::kViewer, "carol", 80});
  ASSERT_TRUE(store->Apply(later).ok());

  StoreLocation restored = NewLocation();
  auto filled = OpenStoreMaintenance(restored)->RestoreFrom(backup);
  ASSERT_TRUE(filled.ok()) << filled.error().message;
  EXPECT_EQ(Describe(*filled), kSoundState);
  auto reopened = Open(restored);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(DescribeLoaded(*reopened), kSoundState);
  EXPECT_EQ(AuditCount(*reopened), 1u);  // history comes along
  auto usage = reopened->Usage(0);
  ASSERT_TRUE(usage.ok()) << usage.error().message;
  EXPECT_EQ(usage->size(), 1u);
  std::filesystem::remove_all(backup);
}

TEST_P(StoreConformanceTest, RestoreRefusesAStoreThatExists) {
  StoreLocation original = NewLocation();
  auto store = Open(original);
  ASSERT_TRUE(store);
  std::string backup = NewTempDir("gleaner-conformance-backup");
  ASSERT_TRUE(OpenStoreMaintenance(original)->BackupInto(backup).ok());
  auto again = OpenStoreMaintenance(original)->RestoreFrom(backup);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  std::filesystem::remove_all(backup);
}

TEST_P(StoreConformanceTest, CheckOnASoundStoreSaysSound) {
  StoreLocation where = NewLocation();
  auto store = Open(where);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Apply(SoundBatch()).ok());
  auto check = OpenStoreMaintenance(where)->Check();
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_TRUE(check->problems.empty()) << check->problems.front();
  EXPECT_EQ(check->jobs, 1);
  EXPECT_EQ(check->task_rows, 3);
  EXPECT_EQ(check->done_tasks, 1);
  EXPECT_EQ(check->attempts, 3);
}

TEST_P(StoreConformanceTest, CheckNamesEachBrokenRule) {
  StoreLocation where = NewLocation();
  auto store = Open(where);
  ASSERT_TRUE(store);
  Batch b = SoundBatch();
  b.tasks[0].outcome.attempt_id = 11;  // done, but its accepted attempt failed
  b.tasks.push_back({1, 7, api::TaskState::kQueued, 0, 0, {}});  // beyond the job's 4 tasks
  ASSERT_TRUE(store->Apply(b).ok());
  auto check = OpenStoreMaintenance(where)->Check();
  ASSERT_TRUE(check.ok()) << check.error().message;
  EXPECT_EQ(check->problems, (std::vector<std::string>{"1 task rows without their job, or beyond its task count",
                                                       "1 done tasks whose accepted attempt is not a success of that task"}));
}

TEST_P(StoreConformanceTest, CheckOfAStoreThatIsNotThereIsNotFound) {
  auto check = OpenStoreMaintenance(NewLocation())->Check();
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace gleaner::server::testing
