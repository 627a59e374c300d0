#include "server/scheduler/placement/feasibility.h"

#include <gtest/gtest.h>

namespace gleaner::server {
namespace {

HostOffer Offer(int64_t free_slots, int64_t memory, bool quarantined = false) {
  return HostOffer{7, quarantined, free_slots, memory};
}

// A job's spec with its parsed requirements and rank, as placement sees it.
struct Demanding {
  Demanding(int64_t cpus, int64_t memory, const std::string& requirements = "", const std::string& rank = "") {
    spec.cpus = cpus;
    spec.memory = memory;
    this->requirements = *api::Expression::ParseRequirements(requirements);
    this->rank = *api::Expression::ParseRank(rank);
  }
  operator JobDemand() const { return {spec, requirements, rank}; }  // NOLINT: the view it is
  api::JobSpec spec;
  api::Expression requirements, rank;
};
Demanding Asking(int64_t cpus, int64_t memory) { return Demanding(cpus, memory); }

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

TEST(MeetsRequirementsTest, TheHostsFactsAndLabelsDecide) {
  MeetsRequirements meets;
  api::HostFacts facts;
  facts.platform = "linux";
  facts.memory = int64_t{16} << 30;
  std::map<std::string, std::string> labels{{"site", "lab3"}};
  api::MatchFacts match(facts, labels);
  HostOffer offer = Offer(1, facts.memory);
  offer.facts = &match;
  EXPECT_TRUE(meets.Feasible(Demanding(1, 0), offer));
  EXPECT_TRUE(meets.Feasible(Demanding(1, 0, "os == \"linux\" && label.site == \"lab3\""), offer));
  EXPECT_FALSE(meets.Feasible(Demanding(1, 0, "memory >= 32G"), offer));
  EXPECT_FALSE(meets.Feasible(Demanding(1, 0, "label.site == \"lab4\""), offer));
  // A host whose facts are unknown meets no requirement but the empty one.
  EXPECT_TRUE(meets.Feasible(Demanding(1, 0), Offer(1, 0)));
  EXPECT_FALSE(meets.Feasible(Demanding(1, 0, "true"), Offer(1, 0)));
}

TEST(DistinctReplicaHostTest, AHostGetsOneReplicaOfATask) {
  EXPECT_TRUE(DistinctReplicaHost({}, 7));
  EXPECT_TRUE(DistinctReplicaHost({1, 2}, 7));
  EXPECT_FALSE(DistinctReplicaHost({1, 7}, 7));
}

}  // namespace
}  // namespace gleaner::server
