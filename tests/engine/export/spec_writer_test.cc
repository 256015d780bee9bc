#include "engine/export/spec_writer.h"

#include <gtest/gtest.h>

#include "engine/spec/loader.h"
#include "tests/engine/export/export_world.h"
#include "tests/testing/planning.h"

namespace hainfra::exporting {
namespace {

ExportedSpec Exported(const ExportWorld& world, ExportRequest request = {}) {
  Result<ExportedSpec> spec = ExportKinds(world.Kinds(), request);
  EXPECT_TRUE(spec) << spec.error().message;
  return spec ? *spec : ExportedSpec{};
}

std::string Errors(const spec::LoadResult& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += d.ToString() + "\n";
  return out;
}

TEST(WriteSpec, WritesTheSchemasKeyOrderAndSmallElementsOnOneLine) {
  ExportWorld world;
  std::vector<SpecFile> files = WriteSpec(Exported(world), false);
  ASSERT_EQ(files.size(), 1u);
  const std::string& text = files[0].text;
  EXPECT_NE(text.find("\nvms:\n  - vmid: 100\n    name: web\n    node: pve-01\n    cores: 2\n    memory: 2048\n"
                      "    tags: [web]\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    disks:\n      - {slot: scsi0, storage: local-lvm, size: 32G, discard: true}\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n\nha:\n  resources:\n    - sid: vm:100\n      state: started\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("digest"), std::string::npos);
  EXPECT_EQ(text.find("smbios1"), std::string::npos);
  EXPECT_EQ(text.find("ssl_fingerprint"), std::string::npos);
}

TEST(WriteSpec, QuotesTextThatWouldReadAsAnotherType) {
  ExportWorld world;
  const std::string text = WriteSpec(Exported(world), false)[0].text;
  EXPECT_NE(text.find("description: \"yes\""), std::string::npos) << text;
}

TEST(WriteSpec, IsStableAcrossRuns) {
  ExportWorld world;
  EXPECT_EQ(WriteSpec(Exported(world), false)[0].text, WriteSpec(Exported(world), false)[0].text);
}

TEST(WriteSpec, RoundTripLoadsAndPlansToNoChanges) {
  ExportWorld world;
  const std::string text = WriteSpec(Exported(world), false)[0].text;
  spec::LoadResult loaded = spec::LoadSpecText(text, "export.yaml");
  ASSERT_FALSE(HasErrors(loaded.diagnostics)) << Errors(loaded) << text;
  EXPECT_EQ(loaded.spec.objects.size(), 6u);
  Result<Plan> plan = testing::PlanFor(world.Kinds(), loaded.spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->steps.empty()) << testing::StepNames(*plan).front();
}

TEST(WriteSpec, SecretsAreListedAndCommentedNeverWritten) {
  ExportWorld world;
  world.cluster.Put({"storage", "pbs-1"}, {{"id", "pbs-1"}, {"type", "pbs"}, {"server", "10.0.0.50"},
                                           {"datastore", "main"}, {"password", "hunter2"}});
  const std::string text = WriteSpec(Exported(world), false)[0].text;
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_NE(text.find("#   HAINFRA_SECRET_STORAGE_PBS_1_PASSWORD\n"), std::string::npos) << text;
  EXPECT_NE(text.find("password: ${env:HAINFRA_SECRET_STORAGE_PBS_1_PASSWORD}  # secret: not exported; set "
                      "HAINFRA_SECRET_STORAGE_PBS_1_PASSWORD before apply"),
            std::string::npos)
      << text;
  spec::LoadResult loaded = spec::LoadSpecText(text, "export.yaml");
  EXPECT_FALSE(HasErrors(loaded.diagnostics)) << Errors(loaded);
}

TEST(WriteSpec, SplitWritesTheFilesOfTheExamplesLayout) {
  ExportWorld world;
  std::vector<SpecFile> files = WriteSpec(Exported(world), true);
  std::vector<std::string> names;
  for (const SpecFile& f : files) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"nodes.yaml", "storage.yaml", "vms.yaml", "ha.yaml"}));
  EXPECT_NE(files[3].text.find("ha:\n  resources:\n"), std::string::npos) << files[3].text;
}

}  // namespace
}  // namespace hainfra::exporting
