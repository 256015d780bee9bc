#include "engine/render/plan_text.h"

#include <gtest/gtest.h>

#include <sstream>

#include "engine/render/style.h"
#include "tests/testing/sample_plan.h"

namespace hainfra::render {
namespace {

std::string Render(const Plan& plan, bool color = false) {
  std::ostringstream out;
  TextOptions options;
  options.color = color;
  RenderPlanText(plan, options, out);
  return out.str();
}

TEST(PlanText, RendersEveryActionWithFieldsFlagsAndSummary) {
  EXPECT_EQ(Render(testing::SamplePlan()),
            "hainfra will perform these steps, in this order:\n"
            "\n"
            "~ update network/pve-01 (options[vmbr1] differs)\n"
            "    + options[vmbr1]: \"bridge\"\n"
            "  commit network on pve-01\n"
            "  health gate after pve-01\n"
            "~ update network/pve-02 (options[vmbr1] differs)\n"
            "    + options[vmbr1]: \"bridge\"\n"
            "  commit network on pve-02\n"
            "+ create vm/100 (not in the cluster)\n"
            "    + cores: 4\n"
            "    + password: (sensitive)\n"
            "    + disks: [{\"size\":\"32G\",\"slot\":\"scsi0\"}]\n"
            "~ update vm/101 (cores, onboot, password differ) [needs reboot]\n"
            "    ~ cores: 2 → 4\n"
            "    ~ onboot: 0 → true (after reboot)\n"
            "    ~ password: (sensitive) → (sensitive)\n"
            "-/+ replace vm/102 (vmid cannot change in place) [destructive]\n"
            "    ~ vmid: 102 → 112 (forces replacement)\n"
            "- delete vm/103 (state: absent) [destructive]\n"
            "\n"
            "Plan: 1 to create, 3 to update, 1 to replace, 1 to delete.\n");
}

TEST(PlanText, AnEmptyPlanSaysSo) {
  Plan plan;
  plan.unchanged.resize(3);
  EXPECT_EQ(Render(plan), "No changes. The cluster matches the spec (3 objects checked).\n");
}

TEST(PlanText, IgnoredFieldsAreCountedPerChangeAndInTheSummary) {
  Plan empty;
  empty.unchanged.resize(2);
  empty.unchanged[0].ignored = {"memory"};
  EXPECT_EQ(Render(empty),
            "No changes. The cluster matches the spec (2 objects checked, 1 field ignored by enforcement.ignore).\n");
  Plan plan = testing::SamplePlan();
  ASSERT_EQ(plan.steps[6].change.address.ToString(), "vm/101");
  plan.steps[6].change.ignored = {"memory", "nets[net0].macaddr"};
  const std::string text = Render(plan);
  EXPECT_NE(text.find("~ update vm/101 (cores, onboot, password differ) [needs reboot] [2 ignored]\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("1 to delete; 2 fields ignored by enforcement.ignore.\n"), std::string::npos) << text;
}

TEST(PlanText, HeldBackDifferencesAreShownButAreNoChanges) {
  Plan plan;
  plan.unchanged.resize(2);
  plan.unchanged[1].address = Address{"node_reboot", "pve-02"};
  plan.unchanged[1].held = "reboot pending: kernel 6.17.2-1-pve running, 6.17.9-1-pve installed; withheld: `when: never`";
  EXPECT_EQ(Render(plan),
            "No changes. The cluster matches the spec (2 objects checked).\n"
            "\n"
            "Held back (pending; not changes of this run):\n"
            "  = node_reboot/pve-02 (reboot pending: kernel 6.17.2-1-pve running, 6.17.9-1-pve installed; withheld: "
            "`when: never`)\n");
  Plan with_steps = testing::SamplePlan();
  with_steps.unchanged.push_back(plan.unchanged[1]);
  const std::string text = Render(with_steps);
  EXPECT_NE(text.find("  = node_reboot/pve-02 (reboot pending"), std::string::npos) << text;
  EXPECT_NE(text.find("Plan: 1 to create, 3 to update, 1 to replace, 1 to delete.\n"), std::string::npos) << text;
}

TEST(PlanText, ColourMarksActionsAndDestructiveSteps) {
  const std::string text = Render(testing::SamplePlan(), /*color=*/true);
  EXPECT_NE(text.find("\033[32m+ create\033[0m \033[1mvm/100\033[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("\033[35m-/+ replace\033[0m"), std::string::npos);
  EXPECT_NE(text.find("\033[31m- delete\033[0m"), std::string::npos);
  EXPECT_NE(text.find("\033[1;31m[destructive]\033[0m"), std::string::npos);
  EXPECT_EQ(Render(testing::SamplePlan()).find('\033'), std::string::npos);
}

TEST(PlanText, NeverShowsASecret) {
  EXPECT_EQ(Render(testing::SamplePlan()).find(testing::kCanary), std::string::npos);
  EXPECT_EQ(Render(testing::SamplePlan(), true).find("canary"), std::string::npos);
}

TEST(UseColor, OnlyOnATerminalAndNeverWithNoColor) {
  EXPECT_TRUE(UseColor(true, nullptr));
  EXPECT_TRUE(UseColor(true, ""));
  EXPECT_FALSE(UseColor(true, "1"));
  EXPECT_FALSE(UseColor(false, nullptr));
}

}  // namespace
}  // namespace hainfra::render
