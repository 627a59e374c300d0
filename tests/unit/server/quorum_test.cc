#include "server/scheduler/quorum.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

TaskOutcome Result(const std::string& stdout_sha, std::vector<api::FileRef> outputs = {}, int64_t exit_code = 0) {
  TaskOutcome o;
  o.exit_code = exit_code;
  o.stdout_ref = api::FileRef{"stdout", stdout_sha, 10};
  o.outputs = std::move(outputs);
  return o;
}

ReplicaResult Replica(int64_t host, const std::string& hash) { return {host * 10, host, hash, {}}; }

TEST(ResultHash, EqualForTheSameBytesWhateverTheOutputOrderOrStderr) {
  std::string a(64, 'a'), b(64, 'b'), c(64, 'c');
  TaskOutcome one = Result(a, {{"x.txt", b, 1}, {"y.txt", c, 1}});
  TaskOutcome two = Result(a, {{"y.txt", c, 1}, {"x.txt", b, 1}});
  two.stderr_ref = api::FileRef{"stderr", c, 3};  // diagnostics may differ
  two.wall_ms = 999;
  EXPECT_EQ(ResultHash(one), ResultHash(two));
}

TEST(ResultHash, DiffersWhenStdoutAnOutputItsNameOrTheExitCodeDiffers) {
  std::string a(64, 'a'), b(64, 'b'), c(64, 'c');
  std::string base = ResultHash(Result(a, {{"x.txt", b, 1}}));
  EXPECT_NE(base, ResultHash(Result(c, {{"x.txt", b, 1}})));
  EXPECT_NE(base, ResultHash(Result(a, {{"x.txt", c, 1}})));
  EXPECT_NE(base, ResultHash(Result(a, {{"z.txt", b, 1}})));
  EXPECT_NE(base, ResultHash(Result(a, {})));
  EXPECT_NE(base, ResultHash(Result(a, {{"x.txt", b, 1}}, 3)));
}

TEST(CountAgreement, FindsTheLargestGroupAndTheOldestOnATie) {
  EXPECT_EQ(CountAgreement({}).best, 0);
  Tally t = CountAgreement({Replica(1, "p"), Replica(2, "q"), Replica(3, "q")});
  EXPECT_EQ(t.best, 2);
  EXPECT_EQ(t.best_hash, "q");
  EXPECT_EQ(t.distinct, 2);
  Tally tie = CountAgreement({Replica(1, "p"), Replica(2, "q")});
  EXPECT_EQ(tie.best, 1);
  EXPECT_EQ(tie.best_hash, "p");
  EXPECT_EQ(tie.distinct, 2);
}

TEST(ReplicasWanted, StartsRThenAddsOnlyWhatTheQuorumStillNeedsUpToTheBound) {
  api::JobSpec spec;
  spec.replicas = 2;
  spec.quorum = 2;
  EXPECT_EQ(ReplicasWanted(spec, {}, 0), 2);
  EXPECT_EQ(ReplicasWanted(spec, {}, 1), 1);
  EXPECT_EQ(ReplicasWanted(spec, {Replica(1, "p")}, 1), 0);
  // They disagree: one more could make two agree.
  EXPECT_EQ(ReplicasWanted(spec, {Replica(1, "p"), Replica(2, "q")}, 0), 1);
  EXPECT_EQ(ReplicasWanted(spec, {Replica(1, "p"), Replica(2, "q"), Replica(3, "r")}, 0), 1);
  // At the bound of replicas + 2 nothing more is started.
  EXPECT_EQ(MaxReplicas(spec), 4);
  EXPECT_EQ(ReplicasWanted(spec, {Replica(1, "p"), Replica(2, "q"), Replica(3, "r"), Replica(4, "s")}, 0), 0);

  spec.replicas = 3;  // 2 of 3
  EXPECT_EQ(ReplicasWanted(spec, {Replica(1, "p"), Replica(2, "q")}, 1), 0);
  EXPECT_EQ(ReplicasWanted(spec, {Replica(1, "p"), Replica(2, "q"), Replica(3, "r")}, 0), 1);
}

TEST(ReplicasWanted, AResultBeingComparedCountsLikeARunningReplicaAndHasNoVote) {
  api::JobSpec spec;
  spec.replicas = 2;
  spec.quorum = 2;
  ReplicaResult waiting = Replica(2, "q");
  waiting.compared = false;
  std::vector<ReplicaResult> results = {Replica(1, "p"), waiting};
  EXPECT_EQ(Uncompared(results), 1);
  EXPECT_EQ(CountAgreement(results).best, 1);
  EXPECT_EQ(CountAgreement(results).distinct, 1);
  EXPECT_EQ(ReplicasWanted(spec, results, 0), 0);  // it may yet agree: nothing started on its account
  results[1].compared = true;
  EXPECT_EQ(ReplicasWanted(spec, results, 0), 1);  // it did not
}

TEST(Reliability, IsTheShareOfAgreeingResultsAndAbsentWithoutHistory) {
  EXPECT_FALSE(Reliability(0, 0).has_value());
  EXPECT_DOUBLE_EQ(*Reliability(3, 1), 0.75);
  EXPECT_DOUBLE_EQ(*Reliability(0, 2), 0.0);
}

TEST(IsProven, NeedsEnoughAgreementsAndNoDisagreement) {
  HostRecord h;
  h.agreements = 9;
  EXPECT_FALSE(IsProven(h, 10));
  h.agreements = 10;
  EXPECT_TRUE(IsProven(h, 10));
  h.disagreements = 1;
  EXPECT_FALSE(IsProven(h, 10));
  h.disagreements = 0;
  EXPECT_FALSE(IsProven(h, 0));  // 0 turns adaptive replication off
}

TEST(IsSpotChecked, ChecksAboutOneTaskInNAndIsStable) {
  int checked = 0;
  for (int64_t i = 0; i < 10'000; ++i) checked += IsSpotChecked(7, i, 10) ? 1 : 0;
  EXPECT_GT(checked, 800);
  EXPECT_LT(checked, 1200);
  EXPECT_EQ(IsSpotChecked(7, 42, 10), IsSpotChecked(7, 42, 10));
  EXPECT_TRUE(IsSpotChecked(7, 42, 1));
}

}  // namespace
}  // namespace gleaner::server
