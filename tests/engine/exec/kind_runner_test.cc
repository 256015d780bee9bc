// The real runner with fake kinds: plan -> apply -> plan again is empty (idempotence), replace is
// delete-then-create, commits publish staged changes, kinds receive real secrets from the spec.
#include "engine/exec/kind_runner.h"

#include <gtest/gtest.h>

#include "engine/exec/executor.h"
#include "tests/testing/fake_kind.h"
#include "tests/testing/planning.h"

namespace hainfra::exec {
namespace {

using namespace std::chrono_literals;
using testing::FakeCluster;
using testing::FakeKind;
using testing::FakeResource;
using testing::FakeTraits;
using testing::PlanFor;
using testing::RecordingReporter;
using testing::SpecOf;
using Lines = std::vector<std::string>;

class KindRunnerTest : public ::testing::Test {
 protected:
  KindRunnerTest() {
    KindTraits network = FakeTraits("network", 2);
    network.commit = CommitScope::kPerNode;
    network.rolling = true;
    network_ = std::make_unique<FakeKind>(cluster_, network);
    options_.retry.sleep = [](std::chrono::milliseconds) {};
  }
  std::vector<ResourceKind*> Kinds() { return {vm_.get(), network_.get(), storage_.get()}; }

  Plan MustPlan(const Spec& spec, plan::PlanRequest request = {}) {
    Result<Plan> plan = PlanFor(Kinds(), spec, std::move(request));
    EXPECT_TRUE(plan) << plan.error().ToString();
    return plan ? *plan : Plan{};
  }
  ApplySummary Apply(const Plan& plan, const Spec& spec) {
    KindStepRunner runner(Kinds(), spec);
    reporter_.plan = &plan;
    return Execute(plan, runner, options_, reporter_);
  }

  FakeCluster cluster_;
  std::unique_ptr<FakeKind> storage_ = std::make_unique<FakeKind>(cluster_, FakeTraits("storage", 5));
  std::unique_ptr<FakeKind> vm_ = std::make_unique<FakeKind>(cluster_, FakeTraits("vm", 7));
  std::unique_ptr<FakeKind> network_;
  ExecutorOptions options_;
  RecordingReporter reporter_;
};

TEST_F(KindRunnerTest, PlanApplyPlanAgainIsEmpty) {
  cluster_.Put({"vm", "100"}, {{"vmid", 100}, {"cores", 2}, {"status", "running"}, {"description", "by hand"}});
  cluster_.Put({"vm", "101"}, {{"vmid", 100}, {"cores", 2}});
  cluster_.Put({"vm", "102"}, {{"cores", 1}});
  cluster_.Put({"vm", "900"}, {{"cores", 1}}, /*owned=*/true);
  cluster_.Put({"vm", "901"}, {{"cores", 1}}, /*owned=*/false);
  Resource gone = FakeResource("vm", "102", {{"cores", 1}});
  gone.absent = true;
  const Spec spec = SpecOf({
      FakeResource("storage", "ceph", {{"cores", 1}}),
      FakeResource("network", "pve-01", {{"node", "pve-01"}, {"options", {{"vmbr0", "bridge"}}}}),
      FakeResource("network", "pve-02", {{"node", "pve-02"}, {"options", {{"vmbr0", "bridge"}}}}),
      FakeResource("vm", "100", {{"vmid", 100}, {"cores", 4}, {"memory", "8G"}, {"refs", {"storage/ceph"}},
                                 {"disks", {{{"slot", "scsi0"}, {"size", "32G"}}}}, {"tags", {"a", "b"}}}),
      FakeResource("vm", "101", {{"vmid", 101}, {"cores", 2}}),  // vmid forces replacement
      gone,
      FakeResource("vm", "103", {{"cores", 1}, {"password", "s3cret"}}),
  });
  plan::PlanRequest request;
  request.prune = {"vm"};
  Plan first = MustPlan(spec, request);
  ASSERT_FALSE(first.empty());
  ApplySummary s = Apply(first, spec);
  ASSERT_TRUE(s.ok()) << ::testing::PrintToString(reporter_.Events());

  Plan second = MustPlan(spec, request);
  EXPECT_TRUE(second.empty()) << ::testing::PrintToString(testing::StepNames(second));
  EXPECT_FALSE(cluster_.Get({"vm", "102"}));
  EXPECT_FALSE(cluster_.Get({"vm", "900"}));  // pruned: owned and not in the spec
  EXPECT_TRUE(cluster_.Get({"vm", "901"}));   // not owned: left alone
  EXPECT_EQ(cluster_.Get({"vm", "100"})->body["description"], "by hand");  // unmanaged keys stay
}

TEST_F(KindRunnerTest, ReplaceDeletesThenCreates) {
  cluster_.Put({"vm", "101"}, {{"vmid", 100}});
  const Spec spec = SpecOf({FakeResource("vm", "101", {{"vmid", 101}})});
  Plan plan = MustPlan(spec);
  ASSERT_EQ(plan.steps.size(), 1u);
  EXPECT_EQ(plan.steps[0].change.action, Action::kReplace);
  EXPECT_TRUE(Apply(plan, spec).ok());
  EXPECT_EQ(cluster_.Log(), (Lines{"delete vm/101", "create vm/101"}));
}

TEST_F(KindRunnerTest, ARetriedReplaceDoesNotDeleteTwice) {
  cluster_.Put({"vm", "101"}, {{"vmid", 100}});
  vm_->FailNext({"vm", "101"}, Error{Code::kUnavailable, "lock timeout"}, 1, "delete");
  vm_->FailNext({"vm", "101"}, Error{Code::kUnavailable, "lock timeout"}, 1, "create");
  const Spec spec = SpecOf({FakeResource("vm", "101", {{"vmid", 101}})});
  Plan plan = MustPlan(spec);
  EXPECT_TRUE(Apply(plan, spec).ok());
  EXPECT_EQ(cluster_.Log(), (Lines{"delete vm/101 failed", "delete vm/101", "create vm/101 failed", "create vm/101"}));
}

// Lost answers: the kind did the work, but the step failed as if it had not (kUnavailable). The retry looks
// at the object again and never does the work twice.
TEST_F(KindRunnerTest, ARetriedCreateWhoseFirstTryLandedAdoptsTheObjectInsteadOfCreatingItTwice) {
  vm_->fail_after_write = true;
  vm_->FailNext({"vm", "100"}, Error{Code::kUnavailable, "the connection was lost"}, 1, "create");
  const Spec spec = SpecOf({FakeResource("vm", "100", {{"cores", 2}})});
  EXPECT_TRUE(Apply(MustPlan(spec), spec).ok());
  EXPECT_EQ(cluster_.Log(), (Lines{"create vm/100 failed"}));
  EXPECT_TRUE(MustPlan(spec).empty());
}

TEST_F(KindRunnerTest, ARetriedUpdateWhoseFirstTryLandedDoesNothingMore) {
  cluster_.Put({"vm", "100"}, {{"cores", 1}});
  vm_->fail_after_write = true;
  vm_->FailNext({"vm", "100"}, Error{Code::kUnavailable, "the connection was lost"}, 1, "update");
  const Spec spec = SpecOf({FakeResource("vm", "100", {{"cores", 2}})});
  EXPECT_TRUE(Apply(MustPlan(spec), spec).ok());
  EXPECT_EQ(cluster_.Log(), (Lines{"update vm/100 failed"}));
  EXPECT_TRUE(MustPlan(spec).empty());
}

TEST_F(KindRunnerTest, ARetriedDeleteWhoseFirstTryLandedIsDone) {
  cluster_.Put({"vm", "100"}, {{"cores", 1}});
  vm_->fail_after_write = true;
  vm_->FailNext({"vm", "100"}, Error{Code::kUnavailable, "the connection was lost"}, 1, "delete");
  Resource gone = FakeResource("vm", "100", {{"cores", 1}});
  gone.absent = true;
  const Spec spec = SpecOf({gone});
  Plan plan = MustPlan(spec);
  ASSERT_EQ(plan.steps.size(), 1u);
  EXPECT_TRUE(Apply(plan, spec).ok());
  EXPECT_EQ(cluster_.Log(), (Lines{"delete vm/100 failed"}));
  EXPECT_FALSE(cluster_.Get({"vm", "100"}).has_value());
}

TEST_F(KindRunnerTest, ARetriedCreateWhoseFirstTryDidNothingCreatesIt) {
  vm_->FailNext({"vm", "100"}, Error{Code::kUnavailable, "503 Service Unavailable"}, 1, "create");
  const Spec spec = SpecOf({FakeResource("vm", "100", {{"cores", 2}})});
  EXPECT_TRUE(Apply(MustPlan(spec), spec).ok());
  EXPECT_EQ(cluster_.Log(), (Lines{"create vm/100 failed", "create vm/100"}));
  EXPECT_TRUE(MustPlan(spec).empty());
}

TEST_F(KindRunnerTest, ARetriedCreateOfAnObjectChangedMeanwhileUpdatesItToTheSpec) {
  vm_->fail_after_write = true;
  vm_->FailNext({"vm", "100"}, Error{Code::kUnavailable, "the connection was lost"}, 1, "create");
  options_.retry.sleep = [this](std::chrono::milliseconds) { cluster_.Put({"vm", "100"}, {{"cores", 7}}); };
  const Spec spec = SpecOf({FakeResource("vm", "100", {{"cores", 2}})});
  EXPECT_TRUE(Apply(MustPlan(spec), spec).ok());
  EXPECT_EQ(cluster_.Log(), (Lines{"create vm/100 failed", "update vm/100"}));
  EXPECT_TRUE(MustPlan(spec).empty());
}

TEST_F(KindRunnerTest, StagedChangesAreCommittedNodeByNode) {
  const Spec spec = SpecOf({FakeResource("network", "pve-01", {{"node", "pve-01"}}),
                            FakeResource("network", "pve-02", {{"node", "pve-02"}})});
  std::vector<std::string> gates;
  options_.health_gate = [&](const std::string& node) {
    gates.push_back(node);
    return Ok();
  };
  Plan plan = MustPlan(spec);
  EXPECT_TRUE(Apply(plan, spec).ok());
  EXPECT_EQ(cluster_.Log(), (Lines{"create network/pve-01", "commit network pve-01", "create network/pve-02",
                                   "commit network pve-02"}));
  EXPECT_EQ(gates, Lines{"pve-01"});
  EXPECT_TRUE(MustPlan(spec).empty());
}

TEST_F(KindRunnerTest, KindsReceiveTheRealSecretThePlanMasks) {
  const Spec spec = SpecOf({FakeResource("vm", "1", {{"password", "canary-s3cret"}})});
  Plan plan = MustPlan(spec);
  ASSERT_EQ(plan.steps.size(), 1u);
  EXPECT_EQ(plan.steps[0].change.after["password"], "(sensitive)");
  EXPECT_TRUE(Apply(plan, spec).ok());
  ASSERT_EQ(vm_->Received().size(), 1u);
  EXPECT_EQ(vm_->Received()[0].after["password"], "canary-s3cret");
}

TEST_F(KindRunnerTest, LimitsHoldWithRealKinds) {
  vm_->delay = 2ms;
  options_.parallelism = 4;
  options_.per_node = 1;
  std::vector<Resource> objects;
  for (int i = 0; i < 16; ++i) {
    objects.push_back(FakeResource("vm", std::to_string(i),
                                   {{"node", "pve-0" + std::to_string(i % 3)}, {"guest", std::to_string(i % 5)}}));
  }
  const Spec spec = SpecOf(objects);
  EXPECT_TRUE(Apply(MustPlan(spec), spec).ok());
  EXPECT_LE(cluster_.Max().total, 3);  // three nodes, one step each
  EXPECT_EQ(cluster_.Max().per_node, 1);
  EXPECT_EQ(cluster_.Max().per_guest, 1);
}

}  // namespace
}  // namespace hainfra::exec
