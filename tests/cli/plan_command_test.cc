#include "cli/plan_command.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/cli/command_fixture.h"

namespace hainfra::cli {
namespace {

using testing::FakeResource;
using testing::SpecOf;

class PlanCommandTest : public CommandTest {
 protected:
  int Plan(const Spec& spec, PlanCommandOptions options = {}) {
    return RunPlan(spec, Kinds(), options, Terminal(false));
  }
  Spec spec_ = SpecOf({FakeResource("vm", "100", {{"cores", 4}}), FakeResource("storage", "local", {{"cores", 1}})});
};

TEST_F(PlanCommandTest, PrintsThePlanAndExitsZero) {
  cluster_.Put({"vm", "100"}, {{"cores", 2}});
  EXPECT_EQ(Plan(spec_), kExitOk);
  EXPECT_EQ(Out(),
            "hainfra will perform these steps, in this order:\n"
            "\n"
            "+ create storage/local (not in the cluster)\n"
            "    + cores: 1\n"
            "~ update vm/100 (cores differs)\n"
            "    ~ cores: 2 → 4\n"
            "\n"
            "Plan: 1 to create, 1 to update, 0 to replace, 0 to delete.\n");
  EXPECT_EQ(Err(), "");
  EXPECT_TRUE(cluster_.Log().empty());  // planning changes nothing
}

TEST_F(PlanCommandTest, DetailedExitcodeSaysWhetherThereAreChanges) {
  PlanCommandOptions options;
  options.detailed_exitcode = true;
  EXPECT_EQ(Plan(spec_, options), kExitChanges);
  cluster_.Put({"vm", "100"}, {{"cores", 4}});
  cluster_.Put({"storage", "local"}, {{"cores", 1}});
  EXPECT_EQ(Plan(spec_, options), kExitOk);
  EXPECT_EQ(Plan(spec_, {}), kExitOk);
}

TEST_F(PlanCommandTest, JsonOutputIsTheDocumentedFormat) {
  PlanCommandOptions options;
  options.planning.json = true;
  EXPECT_EQ(Plan(spec_, options), kExitOk);
  Value json = Value::parse(Out());
  EXPECT_EQ(json["format"], "hainfra-plan");
  EXPECT_EQ(json["format_version"], 1);
  EXPECT_EQ(json["summary"]["create"], 2);
  EXPECT_EQ(json["steps"][1]["address"], "vm/100");
}

TEST_F(PlanCommandTest, OutSavesThePlanFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("hainfra-plan-cmd-" + std::to_string(::getpid()) + ".json")).string();
  PlanCommandOptions options;
  options.out = path;
  EXPECT_EQ(Plan(spec_, options), kExitOk);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_NE(Out().find("Saved the plan to " + path + ". Apply exactly this plan with: hainfra apply " + path),
            std::string::npos);
  std::filesystem::remove(path);
}

TEST_F(PlanCommandTest, RefusedChangesFailWithLocatedDiagnostics) {
  vm_->review = [](const Resource&, const Observed&, Change& change) {
    for (FieldChange& f : change.fields) f.refused = "cores cannot go down";
    return Ok();
  };
  cluster_.Put({"vm", "100"}, {{"cores", 8}});
  const Spec spec = SpecOf({FakeResource("vm", "100", {{"cores", 4}}, 7)});
  EXPECT_EQ(Plan(spec), kExitError);
  EXPECT_EQ(Err(),
            "spec.yaml:7:3: error: vm/100: cores: cores cannot go down\n"
            "error: the plan has refused changes (see above); fix the spec and plan again\n");
}

TEST_F(PlanCommandTest, BadTargetsAndPrunesAreErrors) {
  PlanCommandOptions options;
  options.planning.targets = {"vm100"};
  EXPECT_EQ(Plan(spec_, options), kExitError);
  EXPECT_EQ(Err(), "error: --target vm100: expected KIND/NAME, e.g. vm/100\n");

  ClearOutput();
  options.planning.targets = {};
  options.planning.prune = {"disk"};
  EXPECT_EQ(Plan(spec_, options), kExitError);
  EXPECT_EQ(Err(), "error: --prune disk: no such kind (kinds: vm, storage)\n");

  ClearOutput();
  options.planning.prune = {"storage"};
  EXPECT_EQ(Plan(spec_, options), kExitError);
  EXPECT_EQ(Err(),
            "error: --prune storage: storage objects carry no ownership marker, so hainfra cannot tell its own from "
            "others; use `state: absent` to delete one\n");
}

TEST_F(PlanCommandTest, MarkdownIsTheOnlyStdoutAndTheSavedPlanNoteGoesToStderr) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("hainfra-plan-md-" + std::to_string(::getpid()) + ".json")).string();
  PlanCommandOptions options;
  options.markdown = true;
  options.out = path;
  EXPECT_EQ(Plan(spec_, options), kExitOk);
  EXPECT_EQ(Out().rfind("### hainfra plan\n\n**Plan: 2 to create, 0 to update, 0 to replace, 0 to delete.**", 0), 0u)
      << Out();
  EXPECT_NE(Out().find("<b><code>vm/100</code></b>"), std::string::npos) << Out();
  EXPECT_EQ(Out().find("Saved the plan"), std::string::npos);
  EXPECT_NE(Err().find("Saved the plan to " + path), std::string::npos) << Err();
  std::filesystem::remove(path);
}

TEST_F(PlanCommandTest, MarkdownKeepsToItsSizeCap) {
  PlanCommandOptions options;
  options.markdown = true;
  options.markdown_max_chars = 600;
  EXPECT_EQ(Plan(spec_, options), kExitOk);
  EXPECT_LE(Out().size(), 600u) << Out();
  EXPECT_NE(Out().find("Cut to stay under 600 characters"), std::string::npos) << Out();
}

TEST_F(PlanCommandTest, ObservationFailureIsAnError) {
  vm_->observe_error = Error{Code::kPermissionDenied, "token lacks VM.Audit"};
  EXPECT_EQ(Plan(spec_), kExitError);
  EXPECT_EQ(Err(), "error: observe vm: token lacks VM.Audit\n");
}

}  // namespace
}  // namespace hainfra::cli
