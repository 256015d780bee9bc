#include "cli/export_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "engine/spec/loader.h"
#include "tests/engine/export/export_world.h"
#include "tests/testing/planning.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::cli {
namespace {

class ExportCommand : public ::testing::Test {
 protected:
  int Run(const ExportCommandOptions& options, const std::vector<ResourceKind*>& kinds, const Spec& input = {}) {
    return RunExport(input, kinds, options, console_);
  }

  exporting::ExportWorld world_;
  std::stringstream in_, out_, err_;
  Console console_{in_, out_, err_, false, false, false};
};

TEST_F(ExportCommand, PrintsTheSpecAndSaysWhatItExported) {
  EXPECT_EQ(Run({}, world_.Kinds()), kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("\nvms:\n  - vmid: 100\n"), std::string::npos) << out_.str();
  EXPECT_EQ(err_.str(), "exported 6 objects in 4 sections\n");
}

TEST_F(ExportCommand, SplitFilesLoadTogetherAndPlanToNoChanges) {
  testing::TempDir dir("export");
  ExportCommandOptions options;
  options.split = dir.File("spec");
  ASSERT_EQ(Run(options, world_.Kinds()), kExitOk) << err_.str();
  EXPECT_EQ(out_.str(), "");
  EXPECT_NE(testing::ReadText(dir.File("spec/vms.yaml")).find("vms:\n"), std::string::npos);
  spec::LoadResult loaded = spec::LoadSpec({options.split});
  ASSERT_FALSE(HasErrors(loaded.diagnostics));
  Result<Plan> plan = testing::PlanFor(world_.Kinds(), loaded.spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->steps.empty());
}

TEST_F(ExportCommand, OutWritesOneFile) {
  testing::TempDir dir("export");
  ExportCommandOptions options;
  options.out = dir.File("cluster.yaml");
  ASSERT_EQ(Run(options, world_.Kinds()), kExitOk) << err_.str();
  EXPECT_NE(testing::ReadText(options.out).find("storage:\n  - id: local-lvm\n"), std::string::npos);
  EXPECT_NE(err_.str().find(" to " + options.out), std::string::npos) << err_.str();
}

TEST_F(ExportCommand, OutAndSplitExcludeEachOther) {
  ExportCommandOptions options;
  options.out = "a.yaml";
  options.split = "dir";
  EXPECT_EQ(Run(options, world_.Kinds()), kExitError);
  EXPECT_EQ(err_.str(), "error: --out and --split exclude each other\n");
}

TEST_F(ExportCommand, SaysSoWhenTheResultDoesNotLoadBack) {
  std::vector<ResourceKind*> kinds = world_.Kinds();
  kinds.erase(kinds.begin());  // no node kind: the VMs name nodes the export cannot declare
  EXPECT_EQ(Run({}, kinds), kExitError);
  EXPECT_NE(err_.str().find("<export>:"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("uses node `pve-01`, which is not declared"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("error: the exported spec does not load back"), std::string::npos) << err_.str();
}

TEST_F(ExportCommand, CarriesOverTheInputSpecsConnectionSettings) {
  spec::LoadResult input = spec::LoadSpecText(
      "cluster:\n  name: lab\n  api:\n    endpoint: https://10.0.0.11:8006\n    secret: ${env:PVE_TOKEN_SECRET}\n",
      "in.yaml");
  ASSERT_FALSE(HasErrors(input.diagnostics));
  ASSERT_EQ(Run({}, world_.Kinds(), input.spec), kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("cluster:\n  name: lab\n  api:\n    endpoint: https://10.0.0.11:8006\n"
                            "    secret: ${env:PVE_TOKEN_SECRET}\n"),
            std::string::npos)
      << out_.str();
}

TEST_F(ExportCommand, NothingToExportIsAnError) {
  EXPECT_EQ(Run({}, {}), kExitError);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "error: nothing to export: no kind of this session found an object\n");
}

}  // namespace
}  // namespace hainfra::cli
