#include "cli/apply_command.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/plan_command.h"
#include "tests/cli/command_fixture.h"

namespace hainfra::cli {
namespace {

using testing::FakeResource;
using testing::SpecOf;
using Lines = std::vector<std::string>;

class ApplyCommandTest : public CommandTest {
 protected:
  ApplyCommandTest() {
    options_.retry.sleep = [](std::chrono::milliseconds) {};
    options_.planning.parallelism = 1;  // one step at a time: the progress output is deterministic
  }
  int Apply(const Spec& spec, bool interactive = false, const std::string& input = "") {
    return RunApply(spec, Kinds(), options_, Terminal(interactive, input));
  }
  std::string TempPath(const std::string& name) {
    auto p = std::filesystem::temp_directory_path() / ("hainfra-apply-" + std::to_string(::getpid()) + "-" + name);
    cleanup_.push_back(p);
    return p.string();
  }
  ~ApplyCommandTest() override {
    for (const auto& p : cleanup_) std::filesystem::remove(p);
  }

  ApplyCommandOptions options_;
  std::vector<std::filesystem::path> cleanup_;
  Spec spec_ = SpecOf({FakeResource("vm", "100", {{"cores", 4}, {"password", "canary-c1d2"}}),
                       FakeResource("storage", "local", {{"cores", 1}})});
};

TEST_F(ApplyCommandTest, RefusesWithoutAutoApproveWhenNotATerminal) {
  EXPECT_EQ(Apply(spec_), kExitError);
  EXPECT_EQ(Err(), "error: refusing to apply without --auto-approve: stdin is not a terminal\n");
  EXPECT_TRUE(cluster_.Log().empty());
}

TEST_F(ApplyCommandTest, AsksOnATerminalAndOnlyYesApplies) {
  EXPECT_EQ(Apply(spec_, true, "y\n"), kExitError);
  EXPECT_EQ(Err(), "error: apply cancelled: the answer was not 'yes'\n");
  EXPECT_TRUE(cluster_.Log().empty());

  ClearOutput();
  EXPECT_EQ(Apply(spec_, true, "yes\n"), kExitOk);
  EXPECT_NE(Out().find("Apply these 2 steps? Only 'yes' is accepted: "), std::string::npos);
  EXPECT_EQ(cluster_.Log(), (Lines{"create storage/local", "create vm/100"}));
}

TEST_F(ApplyCommandTest, AppliesWithProgressThenThePlanIsEmpty) {
  options_.auto_approve = true;
  EXPECT_EQ(Apply(spec_), kExitOk);
  EXPECT_EQ(Out(),
            "hainfra will perform these steps, in this order:\n"
            "\n"
            "+ create storage/local (not in the cluster)\n"
            "    + cores: 1\n"
            "+ create vm/100 (not in the cluster)\n"
            "    + cores: 4\n"
            "    + password: (sensitive)\n"
            "\n"
            "Plan: 2 to create, 0 to update, 0 to replace, 0 to delete.\n"
            "\n"
            "storage/local: creating...\n"
            "storage/local: created\n"
            "vm/100: creating...\n"
            "vm/100: created\n"
            "\n"
            "Apply complete: 2 succeeded, 0 failed, 0 skipped, 0 not started.\n");
  EXPECT_EQ(cluster_.Get({"vm", "100"})->body["password"], "canary-c1d2");  // the kind got the real secret

  ClearOutput();
  EXPECT_EQ(Apply(spec_), kExitOk);
  EXPECT_EQ(Out(), "No changes. The cluster matches the spec (2 objects checked).\n");
  EXPECT_EQ(cluster_.Log().size(), 2u);
}

TEST_F(ApplyCommandTest, DestructiveStepsNeedAllowDestroy) {
  options_.auto_approve = true;
  cluster_.Put({"vm", "100"}, {{"vmid", 1}});
  cluster_.Put({"vm", "200"}, {{"cores", 1}}, /*owned=*/true);
  options_.planning.prune = {"vm"};
  const Spec spec = SpecOf({FakeResource("vm", "100", {{"vmid", 2}})});
  EXPECT_EQ(Apply(spec), kExitError);
  EXPECT_EQ(Err(),
            "error: refusing to apply: 2 destructive steps (-/+ replace vm/100, - delete vm/200); re-run with "
            "--allow-destroy if this is intended\n");
  EXPECT_TRUE(cluster_.Log().empty());

  ClearOutput();
  options_.allow_destroy = true;
  EXPECT_EQ(Apply(spec), kExitOk);
  EXPECT_EQ(cluster_.Log(), (Lines{"delete vm/100", "create vm/100", "delete vm/200"}));
}

TEST_F(ApplyCommandTest, AFailedStepFailsTheApplyAndSkipsItsDependents) {
  options_.auto_approve = true;
  storage_->FailNext({"storage", "local"}, Error{Code::kPermissionDenied, "Datastore.Allocate missing"});
  const Spec spec = SpecOf({FakeResource("storage", "local", {{"cores", 1}}),
                            FakeResource("vm", "100", {{"refs", {"storage/local"}}}),
                            FakeResource("vm", "101", {{"cores", 1}})});
  EXPECT_EQ(Apply(spec), kExitError);
  const std::string out = Out();
  EXPECT_NE(out.find("storage/local: failed: permission_denied: Datastore.Allocate missing\n"), std::string::npos) << out;
  EXPECT_NE(out.find("vm/100: skipped (storage/local failed)\n"), std::string::npos) << out;
  EXPECT_NE(out.find("vm/101: created\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Apply failed: 1 succeeded, 1 failed, 1 skipped, 0 not started.\n"), std::string::npos) << out;
}

TEST_F(ApplyCommandTest, AnInterruptedApplyStartsNothingAndSaysSo) {
  options_.auto_approve = true;
  std::atomic<bool> stop{true};
  options_.stop = &stop;
  EXPECT_EQ(Apply(spec_), kExitError);
  EXPECT_NE(Out().find("Apply interrupted: 0 succeeded, 0 failed, 0 skipped, 2 not started.\n"), std::string::npos);
  EXPECT_TRUE(cluster_.Log().empty());
}

TEST_F(ApplyCommandTest, ASavedPlanIsAppliedExactlyWithoutAsking) {
  const std::string path = TempPath("plan.json");
  PlanCommandOptions plan_options;
  plan_options.out = path;
  ASSERT_EQ(RunPlan(spec_, Kinds(), plan_options, Terminal(false)), kExitOk);
  ClearOutput();
  options_.plan_file = path;
  EXPECT_EQ(Apply(spec_), kExitOk) << Err();
  EXPECT_EQ(cluster_.Log(), (Lines{"create storage/local", "create vm/100"}));
  EXPECT_EQ(cluster_.Get({"vm", "100"})->body["password"], "canary-c1d2");
}

TEST_F(ApplyCommandTest, AStalePlanIsRefusedNamingWhatChanged) {
  cluster_.Put({"vm", "100"}, {{"cores", 2}});
  const std::string path = TempPath("stale.json");
  PlanCommandOptions plan_options;
  plan_options.out = path;
  ASSERT_EQ(RunPlan(spec_, Kinds(), plan_options, Terminal(false)), kExitOk);
  cluster_.Put({"vm", "100"}, {{"cores", 3}});        // changed behind our back
  cluster_.Put({"storage", "local"}, {{"cores", 1}});  // created behind our back
  ClearOutput();
  options_.plan_file = path;
  EXPECT_EQ(Apply(spec_), kExitError);
  EXPECT_NE(Err().find("error: " + path + ": the saved plan is stale: objects changed in the cluster since the plan "
                       "was made: storage/local (now exists), vm/100 (version v1 -> v2)"),
            std::string::npos)
      << Err();
  EXPECT_TRUE(cluster_.Log().empty());

  ClearOutput();
  Spec edited = spec_;
  edited.hash = "spec-hash-2";
  EXPECT_EQ(Apply(edited), kExitError);
  EXPECT_NE(Err().find("the spec changed since the plan was made"), std::string::npos) << Err();
}

TEST_F(ApplyCommandTest, NoSecretInAnyOutputOrPlanFile) {
  const std::string path = TempPath("secret.json");
  PlanCommandOptions plan_options;
  plan_options.out = path;
  plan_options.planning.json = true;
  ASSERT_EQ(RunPlan(spec_, Kinds(), plan_options, Terminal(false)), kExitOk);
  std::stringstream file;
  file << std::ifstream(path).rdbuf();
  options_.auto_approve = true;
  EXPECT_EQ(Apply(spec_), kExitOk);
  const std::string everything = file.str() + Out() + Err();
  EXPECT_EQ(everything.find("canary"), std::string::npos) << everything;
  EXPECT_NE(everything.find("(sensitive)"), std::string::npos);
}

}  // namespace
}  // namespace hainfra::cli
