#include "engine/render/plan_markdown.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/testing/sample_plan.h"

namespace hainfra::render {
namespace {

std::string RenderMd(const Plan& plan, size_t max_chars = MarkdownOptions::kDefaultMaxChars) {
  std::ostringstream out;
  MarkdownOptions options;
  options.max_chars = max_chars;
  RenderPlanMarkdown(plan, options, out);
  return out.str();
}

size_t MdCount(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// `count` updates of vm/<n>, each with a field whose values are `width` characters long.
Plan MdBigPlan(int count, size_t width) {
  Plan plan;
  for (int i = 0; i < count; ++i) {
    Step step;
    step.id = i;
    step.change.address = {"vm", std::to_string(1000 + i)};
    step.change.action = Action::kUpdate;
    step.change.reason = "description differs";
    FieldChange field;
    field.path = "description";
    field.pointer = "/description";
    field.before = std::string(width, 'a');
    field.after = std::string(width, 'b');
    step.change.fields.push_back(field);
    plan.steps.push_back(step);
  }
  return plan;
}

TEST(PlanMarkdown, OpensWithTheSummaryAndATableOfActionsPerKind) {
  const std::string md = RenderMd(testing::SamplePlan());
  EXPECT_EQ(md.rfind("### hainfra plan\n\n**Plan: 1 to create, 3 to update, 1 to replace, 1 to delete.**", 0), 0u)
      << md;
  EXPECT_NE(md.find("| kind | create | update | replace | delete | unchanged |\n|---|--:|--:|--:|--:|--:|\n"
                    "| <code>network</code> | 0 | 2 | 0 | 0 | 0 |\n"
                    "| <code>vm</code> | 1 | 1 | 1 | 1 | 1 |\n"
                    "| **total** | 1 | 3 | 1 | 1 | 1 |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("2 destructive steps (applies only with `--allow-destroy`)"), std::string::npos) << md;
}

TEST(PlanMarkdown, EachObjectIsACollapsibleBlockWithItsFieldsBeforeAndAfter) {
  const std::string md = RenderMd(testing::SamplePlan());
  EXPECT_EQ(MdCount(md, "<details>"), 7u) << md;  // six objects and the order of the steps
  EXPECT_EQ(MdCount(md, "<details>"), MdCount(md, "</details>"));
  EXPECT_NE(md.find("<details><summary><code>~ update</code> <b><code>vm/101</code></b> — cores, onboot, password "
                    "differ (needs reboot)</summary>\n\n"
                    "| field | before | after | |\n|---|---|---|---|\n"
                    "| <code>cores</code> | <code>2</code> | <code>4</code> | |\n"
                    "| <code>onboot</code> | <code>0</code> | <code>true</code> | after reboot |\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| <code>vmid</code> | <code>102</code> | <code>112</code> | **forces replacement** |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("<b><code>vm/103</code></b> — state: absent ⚠️ <b>destructive</b></summary>\n\n"
                    "The object is deleted.\n"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("<details><summary>Order of the steps (9)</summary>\n\n"
                    "1. <code>~ update network/pve-01</code>\n2. <code>commit network on pve-01</code>\n"),
            std::string::npos)
      << md;
}

TEST(PlanMarkdown, NeverShowsASecret) {
  const std::string md = RenderMd(testing::SamplePlan());
  EXPECT_EQ(md.find("canary"), std::string::npos) << md;
  EXPECT_NE(md.find("| <code>password</code> | <code>(sensitive)</code> | <code>(sensitive)</code> |"),
            std::string::npos)
      << md;
}

TEST(PlanMarkdown, ValuesCannotBreakTheTableOrInjectHtml) {
  Plan plan = MdBigPlan(1, 1);
  plan.steps[0].change.fields[0].after = "a|b <script>&";
  const std::string md = RenderMd(plan);
  EXPECT_NE(md.find("<code>\"a&#124;b &lt;script&gt;&amp;\"</code>"), std::string::npos) << md;
  EXPECT_EQ(md.find("<script>"), std::string::npos);
}

TEST(PlanMarkdown, AnEmptyPlanSaysSo) {
  Plan plan;
  plan.unchanged.resize(3);
  EXPECT_EQ(RenderMd(plan), "### hainfra plan\n\n**No changes.** The cluster matches the spec (3 objects checked).\n");
}

TEST(PlanMarkdown, ALargePlanIsCutToTheLimitWithANoteOfWhatWasLeftOut) {
  const Plan plan = MdBigPlan(2000, 100);
  const std::string md = RenderMd(plan);
  EXPECT_LE(md.size(), MarkdownOptions::kDefaultMaxChars);
  EXPECT_NE(md.find("**Plan: 0 to create, 2000 to update, 0 to replace, 0 to delete.**"), std::string::npos);
  EXPECT_NE(md.find("| <code>vm</code> | 0 | 2,000 | 0 | 0 | 0 |"), std::string::npos);  // counts stay whole
  const size_t shown = MdCount(md, "<details>");
  ASSERT_GT(shown, 10u);
  ASSERT_LT(shown, 2000u);
  const std::string first_cut = "vm/" + std::to_string(1000 + shown);
  EXPECT_NE(md.find("*Cut to stay under 60,000 characters: left out the details of " +
                    std::to_string(2000 - shown).insert(1, ",") + " objects (from <code>" + first_cut +
                    "</code> on) and the order of the steps."),
            std::string::npos)
      << md.substr(md.size() - 400);
  EXPECT_EQ(MdCount(md, "<details>"), MdCount(md, "</details>"));  // never cut inside a block
}

TEST(PlanMarkdown, TheLimitIsAnOption) {
  const Plan plan = MdBigPlan(50, 100);
  EXPECT_EQ(RenderMd(plan).find("Cut to stay under"), std::string::npos);
  const std::string small = RenderMd(plan, 3000);
  EXPECT_LE(small.size(), 3000u);
  EXPECT_NE(small.find("Cut to stay under 3,000 characters"), std::string::npos) << small;
}

TEST(PlanMarkdown, LongValuesAreShortened) {
  const std::string md = RenderMd(MdBigPlan(1, 5000));
  EXPECT_NE(md.find(std::string(299, 'a') + "…"), std::string::npos);
  EXPECT_EQ(md.find(std::string(400, 'a')), std::string::npos);
}

TEST(PlanMarkdown, RefusedChangesAndWarningsAreListed) {
  Plan plan = MdBigPlan(1, 1);
  plan.diagnostics.push_back({Severity::kError, {"spec.yaml", 7, 5}, "vms[0].cores", "cores cannot go down"});
  const std::string md = RenderMd(plan);
  EXPECT_NE(md.find("**The plan has refused changes: it cannot be applied.**\n\n- <code>spec.yaml:7:5: error: "),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace hainfra::render
