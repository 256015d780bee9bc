#include "engine/plan/planner.h"

#include <gtest/gtest.h>

#include "engine/plan/observe.h"
#include "tests/testing/fake_kind.h"
#include "tests/testing/planning.h"

namespace hainfra::plan {
namespace {

using testing::FakeCluster;
using testing::FakeKind;
using testing::FakeResource;
using testing::FakeTraits;
using testing::PlanFor;
using testing::SpecOf;
using testing::StepNames;
using Names = std::vector<std::string>;

class PlannerTest : public ::testing::Test {
 protected:
  std::vector<ResourceKind*> Kinds() { return {&ha_rule_, &vm_, &storage_}; }
  Plan MustPlan(const Spec& spec, PlanRequest request = {}) {
    Result<Plan> plan = PlanFor(Kinds(), spec, request);
    EXPECT_TRUE(plan.has_value()) << plan.error().ToString();
    return plan ? *plan : Plan{};
  }
  std::string PlanError(const Spec& spec, PlanRequest request = {}) {
    Result<Plan> plan = PlanFor(Kinds(), spec, request);
    return plan ? "(no error)" : plan.error().ToString();
  }
  const Step& StepOf(const Plan& plan, const std::string& name) {
    for (const Step& s : plan.steps) {
      if (s.change.address.ToString() == name && s.type == StepType::kChange) return s;
    }
    ADD_FAILURE() << "no step " << name;
    return plan.steps.front();
  }

  FakeCluster cluster_;
  FakeKind storage_{cluster_, FakeTraits("storage", 5)};
  FakeKind vm_{cluster_, FakeTraits("vm", 7)};
  FakeKind ha_rule_{cluster_, FakeTraits("ha_rule", 8)};
};

TEST_F(PlannerTest, CreatesFollowTheKindOrderWhateverTheFileOrder) {
  Plan plan = MustPlan(SpecOf({FakeResource("ha_rule", "x", {{"cores", 1}}), FakeResource("vm", "1", {{"cores", 1}}),
                               FakeResource("storage", "s", {{"cores", 1}})}));
  EXPECT_EQ(StepNames(plan), (Names{"storage/s", "vm/1", "ha_rule/x"}));
  EXPECT_LT(plan.steps[0].phase, plan.steps[1].phase);
  EXPECT_LT(plan.steps[1].phase, plan.steps[2].phase);
  for (size_t i = 0; i < plan.steps.size(); ++i) EXPECT_EQ(plan.steps[i].id, static_cast<int>(i));
}

TEST_F(PlannerTest, DeletesRunInReverseKindOrderAfterEveryOtherStep) {
  cluster_.Put({"storage", "old"}, {{"cores", 1}}, true);
  cluster_.Put({"vm", "old"}, {{"cores", 1}}, true);
  cluster_.Put({"ha_rule", "old"}, {{"cores", 1}}, true);
  PlanRequest request;
  request.prune = {"storage", "vm", "ha_rule"};
  Plan plan = MustPlan(SpecOf({FakeResource("vm", "new", {{"cores", 1}})}), request);
  EXPECT_EQ(StepNames(plan), (Names{"vm/new", "ha_rule/old", "vm/old", "storage/old"}));
  EXPECT_EQ(plan.steps[1].change.action, Action::kDelete);
  EXPECT_LT(plan.steps[0].phase, plan.steps[1].phase);
  EXPECT_LT(plan.steps[1].phase, plan.steps[2].phase);
  EXPECT_LT(plan.steps[2].phase, plan.steps[3].phase);
}

TEST_F(PlannerTest, IgnoredDifferencesAreLeftOutAndCountedOnTheObject) {
  cluster_.Put({"vm", "1"}, {{"cores", 2}, {"memory", 4096}});
  cluster_.Put({"vm", "2"}, {{"cores", 2}, {"memory", 4096}});
  PlanRequest request;
  request.ignore = [](const Resource& desired, const FieldChange& f) {
    return desired.address.name == "1" && f.path == "memory";
  };
  Plan plan = MustPlan(SpecOf({FakeResource("vm", "1", {{"cores", 2}, {"memory", 2048}}),
                               FakeResource("vm", "2", {{"cores", 2}, {"memory", 2048}})}),
                       request);
  EXPECT_EQ(StepNames(plan), (Names{"vm/2"}));  // vm/1's only difference is ignored: no change
  ASSERT_EQ(plan.unchanged.size(), 1u);
  EXPECT_EQ(plan.unchanged[0].address.ToString(), "vm/1");
  EXPECT_EQ(plan.unchanged[0].ignored, (std::vector<std::string>{"memory"}));
  EXPECT_EQ(plan.ignored_fields(), 1u);
}

TEST_F(PlannerTest, ReferencesBecomeDependencies) {
  Plan plan = MustPlan(SpecOf({FakeResource("vm", "2", {{"refs", {"vm/1", "storage/s"}}}),
                               FakeResource("vm", "1", {{"cores", 1}}), FakeResource("storage", "s", {{"cores", 1}})}));
  EXPECT_EQ(StepNames(plan), (Names{"storage/s", "vm/1", "vm/2"}));
  EXPECT_EQ(StepOf(plan, "vm/2").deps, (std::vector<int>{0, 1}));
  EXPECT_TRUE(StepOf(plan, "vm/1").deps.empty());
}

TEST_F(PlannerTest, ReferencesToObjectsWithoutChangesAddNoDependency) {
  cluster_.Put({"storage", "s"}, {{"cores", 1}});
  Plan plan = MustPlan(SpecOf({FakeResource("vm", "1", {{"refs", {"storage/s", "storage/elsewhere"}}}),
                               FakeResource("storage", "s", {{"cores", 1}})}));
  EXPECT_EQ(StepNames(plan), (Names{"vm/1"}));
  EXPECT_TRUE(plan.steps[0].deps.empty());
  ASSERT_EQ(plan.unchanged.size(), 1u);
  EXPECT_EQ(plan.unchanged[0].address.ToString(), "storage/s");
}

TEST_F(PlannerTest, ADeleteWaitsForTheObjectsThatUsedIt) {
  cluster_.Put({"storage", "s"}, {{"cores", 1}});
  cluster_.Put({"vm", "1"}, {{"refs", {"storage/s"}}, {"cores", 1}});
  Resource gone = FakeResource("storage", "s", {{"cores", 1}});
  gone.absent = true;
  Plan plan = MustPlan(SpecOf({FakeResource("vm", "1", {{"refs", Value::array()}}), gone}));
  EXPECT_EQ(StepNames(plan), (Names{"vm/1", "storage/s"}));
  EXPECT_EQ(plan.steps[1].deps, std::vector<int>{0});
}

TEST_F(PlannerTest, UsingAnObjectThePlanDeletesIsAnError) {
  cluster_.Put({"storage", "s"}, {{"cores", 1}});
  Resource gone = FakeResource("storage", "s", {{"cores", 1}}, 3);
  gone.absent = true;
  Plan plan = MustPlan(SpecOf({FakeResource("vm", "1", {{"refs", {"storage/s"}}}, 9), gone}));
  ASSERT_EQ(plan.diagnostics.size(), 1u);
  EXPECT_EQ(plan.diagnostics[0].ToString(), "spec.yaml:9:3: error: vm/1 uses storage/s, which this plan deletes");
}

TEST_F(PlannerTest, ADependencyCycleIsNamed) {
  EXPECT_EQ(PlanError(SpecOf({FakeResource("vm", "1", {{"refs", {"ha_rule/x"}}}),
                              FakeResource("ha_rule", "x", {{"refs", {"vm/1"}}})})),
            "failed_precondition: dependency cycle: vm/1 -> ha_rule/x -> vm/1");
  EXPECT_EQ(PlanError(SpecOf({FakeResource("vm", "1", {{"refs", {"vm/2"}}}), FakeResource("vm", "2", {{"refs", {"vm/3"}}}),
                              FakeResource("vm", "3", {{"refs", {"vm/1"}}})})),
            "failed_precondition: dependency cycle: vm/1 -> vm/2 -> vm/3 -> vm/1");
}

TEST_F(PlannerTest, AReferenceAgainstTheKindOrderIsACycle) {
  EXPECT_EQ(PlanError(SpecOf({FakeResource("storage", "s", {{"refs", {"vm/1"}}}), FakeResource("vm", "1", {{"cores", 1}})})),
            "failed_precondition: dependency cycle: storage/s -> vm/1 -> storage/s (kind order: vm runs after storage)");
}

TEST_F(PlannerTest, EqualObjectsAreUnchangedAndThePlanIsEmpty) {
  cluster_.Put({"vm", "1"}, {{"cores", 2}, {"status", "running"}});
  Plan plan = MustPlan(SpecOf({FakeResource("vm", "1", {{"cores", 2}})}));
  EXPECT_TRUE(plan.empty());
  ASSERT_EQ(plan.unchanged.size(), 1u);
  EXPECT_EQ(plan.spec_hash, "spec-hash-1");
}

TEST_F(PlannerTest, UndeclaredObjectsAreLeftAloneWithoutPrune) {
  cluster_.Put({"vm", "9"}, {{"cores", 2}}, /*owned=*/true);
  EXPECT_TRUE(MustPlan(SpecOf({})).empty());
}

TEST_F(PlannerTest, TargetKeepsItsChangeAndWhatItDependsOn) {
  PlanRequest request;
  request.targets = {{"vm", "1"}};
  Plan plan = MustPlan(SpecOf({FakeResource("vm", "1", {{"refs", {"storage/s"}}}), FakeResource("vm", "2", {{"cores", 1}}),
                               FakeResource("storage", "s", {{"cores", 1}}), FakeResource("storage", "t", {{"cores", 1}})}),
                       request);
  EXPECT_EQ(StepNames(plan), (Names{"storage/s", "vm/1"}));
  EXPECT_EQ(plan.steps[1].deps, std::vector<int>{0});
}

TEST_F(PlannerTest, TargetThatMatchesNothingIsAnError) {
  PlanRequest request;
  request.targets = {{"vm", "404"}};
  EXPECT_EQ(PlanError(SpecOf({FakeResource("vm", "1", {{"cores", 1}})}), request),
            "invalid_argument: --target vm/404 matches nothing in the spec or the cluster");
}

TEST_F(PlannerTest, AnObjectDeclaredTwiceIsAnError) {
  EXPECT_EQ(PlanError(SpecOf({FakeResource("vm", "1", {{"cores", 1}}, 2), FakeResource("vm", "1", {{"cores", 2}}, 5)})),
            "invalid_argument: spec.yaml:5:3: vm/1 is declared twice");
}

TEST_F(PlannerTest, StepsCarryTheNodeAndGuestTheyLock) {
  Plan plan = MustPlan(SpecOf({FakeResource("vm", "1", {{"node", "pve-01"}, {"guest", "1"}})}));
  ASSERT_EQ(plan.steps.size(), 1u);
  EXPECT_EQ(plan.steps[0].node, "pve-01");
  EXPECT_EQ(plan.steps[0].guest, "1");
}

class StagedPlannerTest : public ::testing::Test {
 protected:
  FakeCluster cluster_;
};

TEST_F(StagedPlannerTest, PerNodeCommitFollowsThatNodesChanges) {
  KindTraits traits = FakeTraits("network", 2);
  traits.commit = CommitScope::kPerNode;
  FakeKind network(cluster_, traits);
  Result<Plan> plan = PlanFor({&network}, SpecOf({FakeResource("network", "a", {{"node", "pve-01"}}),
                                                  FakeResource("network", "b", {{"node", "pve-02"}}),
                                                  FakeResource("network", "c", {{"node", "pve-01"}})}));
  ASSERT_TRUE(plan);
  EXPECT_EQ(StepNames(*plan),
            (Names{"network/a", "network/b", "network/c", "commit network on pve-01", "commit network on pve-02"}));
  EXPECT_EQ(plan->steps[3].type, StepType::kCommit);
  EXPECT_EQ(plan->steps[3].deps, (std::vector<int>{0, 2}));
  EXPECT_EQ(plan->steps[4].deps, (std::vector<int>{1}));
}

TEST_F(StagedPlannerTest, GlobalCommitFollowsEveryChangeOfTheKind) {
  KindTraits traits = FakeTraits("sdn", 3);
  traits.commit = CommitScope::kGlobal;
  FakeKind sdn(cluster_, traits);
  Result<Plan> plan = PlanFor({&sdn}, SpecOf({FakeResource("sdn", "a", {{"cores", 1}}), FakeResource("sdn", "b", {{"cores", 1}})}));
  ASSERT_TRUE(plan);
  EXPECT_EQ(StepNames(*plan), (Names{"sdn/a", "sdn/b", "commit sdn"}));
  EXPECT_EQ(plan->steps[2].deps, (std::vector<int>{0, 1}));
}

TEST_F(StagedPlannerTest, RollingKindGoesOneNodeAtATimeWithGatesBetween) {
  KindTraits traits = FakeTraits("packages", 1);
  traits.rolling = true;
  traits.commit = CommitScope::kPerNode;
  FakeKind packages(cluster_, traits);
  Result<Plan> plan = PlanFor({&packages}, SpecOf({FakeResource("packages", "pve-02", {{"node", "pve-02"}}),
                                                   FakeResource("packages", "pve-01", {{"node", "pve-01"}}),
                                                   FakeResource("packages", "pve-03", {{"node", "pve-03"}})}));
  ASSERT_TRUE(plan);
  EXPECT_EQ(StepNames(*plan), (Names{"packages/pve-01", "commit packages on pve-01", "health gate after pve-01",
                                     "packages/pve-02", "commit packages on pve-02", "health gate after pve-02",
                                     "packages/pve-03", "commit packages on pve-03"}));
  EXPECT_EQ(plan->steps[2].type, StepType::kGate);
  EXPECT_EQ(plan->steps[2].node, "pve-01");
  EXPECT_EQ(plan->steps[2].deps, (std::vector<int>{0, 1}));
  EXPECT_EQ(plan->steps[3].deps, (std::vector<int>{2}));
  EXPECT_EQ(plan->steps[6].deps, (std::vector<int>{5}));
}

TEST(ObserveKinds, ObservesEachKindOnceAndReportsEveryFailure) {
  FakeCluster cluster;
  FakeKind a(cluster, FakeTraits("a", 1)), b(cluster, FakeTraits("b", 2)), c(cluster, FakeTraits("c", 3));
  b.observe_error = Error{Code::kUnavailable, "connection reset"};
  c.observe_error = Error{Code::kPermissionDenied, "token lacks VM.Audit"};
  auto states = ObserveKinds({&a, &b, &c}, testing::SpecOf({FakeResource("a", "x", {{"cores", 1}}),
                                                            FakeResource("b", "x", {{"cores", 1}}),
                                                            FakeResource("c", "x", {{"cores", 1}})}),
                             8);
  ASSERT_FALSE(states);
  EXPECT_EQ(states.error().ToString(),
            "unavailable: observe b: connection reset; permission_denied: observe c: token lacks VM.Audit");
  EXPECT_EQ(a.observe_calls(), 1);
  EXPECT_EQ(b.observe_calls(), 1);
}

TEST(ObserveKinds, AKindTheSpecDeclaresNothingOfIsObservedOnlyWhenNamed) {
  FakeCluster cluster;
  FakeKind used(cluster, FakeTraits("used", 1)), unused(cluster, FakeTraits("unused", 2)),
      pruned(cluster, FakeTraits("pruned", 3));
  auto states = ObserveKinds({&used, &unused, &pruned}, testing::SpecOf({FakeResource("used", "x", {{"cores", 1}})}), 2,
                             {"pruned"});
  ASSERT_TRUE(states) << states.error().ToString();
  EXPECT_EQ(used.observe_calls(), 1);
  EXPECT_EQ(unused.observe_calls(), 0) << "nothing of it can change, and its reads may need privileges";
  EXPECT_EQ(pruned.observe_calls(), 1) << "--prune deletes what the spec omits: it must be seen";
  EXPECT_EQ(states->size(), 3u);
}

}  // namespace
}  // namespace hainfra::plan
