// Policy::Decide on plans the real planner builds, executed by the real executor: what is kept runs as a
// valid plan (it survives the plan file format's checks), what is withheld never reaches a kind.
#include <gtest/gtest.h>

#include "engine/enforce/policy.h"
#include "engine/exec/executor.h"
#include "engine/exec/kind_runner.h"
#include "engine/planfile/plan_json.h"
#include "tests/testing/fake_kind.h"
#include "tests/testing/planning.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::enforce {
namespace {

using testing::FakeCluster;
using testing::FakeKind;
using testing::FakeResource;
using testing::FakeTraits;
using Names = std::vector<std::string>;

// The `enforcement` object of a loaded YAML section, to add to a spec of fake objects.
Resource DecideEnforcementOf(const std::string& yaml) {
  spec::LoadResult r = testing::LoadYaml("nodes:\n  - { name: pve-01, address: 10.0.0.11 }\n" + yaml);
  EXPECT_FALSE(HasErrors(r.diagnostics)) << ::testing::PrintToString(testing::Lines(r.diagnostics));
  const Resource* found = r.spec.Find(Address{"enforcement", "enforcement"});
  return found != nullptr ? *found : Resource{};
}

class DecidePlanTest : public ::testing::Test {
 protected:
  DecidePlanTest() {
    KindTraits traits = FakeTraits("packages", 1);
    traits.rolling = true;
    traits.commit = CommitScope::kPerNode;
    packages_ = std::make_unique<FakeKind>(cluster_, traits);
  }
  std::vector<ResourceKind*> Kinds() { return {packages_.get(), &storage_, &vm_}; }

  FakeCluster cluster_;
  std::unique_ptr<FakeKind> packages_;
  FakeKind storage_{cluster_, FakeTraits("storage", 5)};
  FakeKind vm_{cluster_, FakeTraits("vm", 7)};
};

TEST_F(DecidePlanTest, TheKeptStepsFormAPlanTheExecutorRunsAndNothingWithheldIsTouched) {
  Spec spec = testing::SpecOf({
      FakeResource("packages", "pve-01", {{"node", "pve-01"}, {"cores", 1}}),
      FakeResource("packages", "pve-02", {{"node", "pve-02"}, {"cores", 1}}),
      FakeResource("packages", "pve-03", {{"node", "pve-03"}, {"cores", 1}}),
      FakeResource("storage", "nfs", {{"cores", 1}}),
      FakeResource("vm", "1", {{"cores", 1}, {"refs", {"storage/nfs"}}}),
      FakeResource("vm", "2", {{"cores", 1}}),
      DecideEnforcementOf(R"(enforcement:
  overrides:
    - { kind: storage, mode: warn }
    - { address: packages/pve-02, mode: warn }
)"),
  });
  Result<Plan> plan = testing::PlanFor(Kinds(), spec);
  ASSERT_TRUE(plan) << plan.error().ToString();
  Result<Policy> policy = Policy::FromSpec(spec);
  ASSERT_TRUE(policy) << policy.error().message;

  Decision d = policy->Decide(*plan, spec, RunContext{1774267200, true});
  EXPECT_EQ(testing::StepNames(d.to_apply),
            (Names{"packages/pve-01", "commit packages on pve-01", "health gate after pve-01", "packages/pve-03",
                   "commit packages on pve-03", "vm/2"}));
  std::vector<std::string> withheld;
  for (const Withheld& w : d.withheld) withheld.push_back(w.address.ToString() + ": " + w.reason);
  EXPECT_EQ(withheld, (Names{"packages/pve-02: warn mode (packages/pve-02)", "storage/nfs: warn mode (kind storage)",
                             "vm/1: depends on withheld storage/nfs"}));

  // A valid plan: the plan file reader's checks (ids are positions, deps point back) accept it.
  Result<Plan> reread = planfile::PlanFromJson(planfile::PlanToJson(d.to_apply));
  ASSERT_TRUE(reread) << reread.error().ToString();

  exec::KindStepRunner runner(Kinds(), spec);
  testing::RecordingReporter reporter;
  reporter.plan = &d.to_apply;
  exec::ApplySummary summary = exec::Execute(d.to_apply, runner, exec::ExecutorOptions{}, reporter);
  EXPECT_TRUE(summary.ok());
  EXPECT_EQ(summary.succeeded, 6);
  EXPECT_TRUE(cluster_.Get({"packages", "pve-01"}).has_value());
  EXPECT_TRUE(cluster_.Get({"packages", "pve-03"}).has_value());
  EXPECT_TRUE(cluster_.Get({"vm", "2"}).has_value());
  EXPECT_FALSE(cluster_.Get({"packages", "pve-02"}).has_value());
  EXPECT_FALSE(cluster_.Get({"storage", "nfs"}).has_value());
  EXPECT_FALSE(cluster_.Get({"vm", "1"}).has_value());
}

}  // namespace
}  // namespace hainfra::enforce
