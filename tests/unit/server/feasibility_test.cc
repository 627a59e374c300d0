#include "server/scheduler/placement/feasibility.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

HostOffer Offer(int64_t free_slots, int64_t memory, bool quarantined = false) {
  return HostOffer{7, quarantined, free_slots, memory};
}

api::JobSpec Asking(int64_t cpus, int64_t memory) {
  api::JobSpec spec;
  spec.cpus = cpus;
  spec.memory = memory;
  return spec;
}

TEST(NotQuarantinedTest, RefusesOnlyAQuarantinedHost) {
  NotQuarantined check;
  EXPECT_TRUE(check.Feasible(Offer(4, 0)));
  EXPECT_FALSE(check.Feasible(Offer(4, 0, true)));
}

TEST(ResourcesFitTest, CpusMustFitTheFreeSlots) {
  ResourcesFit fit;
  EXPECT_TRUE(fit.Feasible(Asking(2, 0), Offer(2, 1 << 30)));
  EXPECT_FALSE(fit.Feasible(Asking(3, 0), Offer(2, 1 << 30)));
}

TEST(ResourcesFitTest, MemoryMustFitWhatTheHostOffersTasks) {
  ResourcesFit fit;
  EXPECT_TRUE(fit.Feasible(Asking(1, 1 << 30), Offer(1, 1 << 30)));
  EXPECT_FALSE(fit.Feasible(Asking(1, (1 << 30) + 1), Offer(1, 1 << 30)));
}

TEST(ResourcesFitTest, AJobAskingNoMemoryFitsAnyHost) {
  ResourcesFit fit;
  EXPECT_TRUE(fit.Feasible(Asking(1, 0), Offer(1, 0)));
}

TEST(DistinctReplicaHostTest, AHostGetsOneReplicaOfATask) {
  EXPECT_TRUE(DistinctReplicaHost({}, 7));
  EXPECT_TRUE(DistinctReplicaHost({1, 2}, 7));
  EXPECT_FALSE(DistinctReplicaHost({1, 7}, 7));
}

}  // namespace
}  // namespace gleaner::server
