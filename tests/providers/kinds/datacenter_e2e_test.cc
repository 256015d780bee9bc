// datacenter/datacenter end to end against pvesim (schema validation on): the declared options converge in one
// apply and a second plan is empty, undeclared keys and sub-keys are kept, a change made through the API is
// drift, the export plans to no changes, and what Proxmox would refuse is refused first with the spec's line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cluster_session.h"
#include "cli/export_command.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

PvesimOptions DcOnPve(int pve) {
  PvesimOptions options;
  options.pve = pve;
  return options;
}

std::string DcSpec(const std::string& datacenter) { return ClusterHead() + "datacenter:\n" + datacenter; }

const char* kDcOptions = R"(  keyboard: de
  language: en
  console: xtermjs
  email_from: pve@lab.example.org
  max_workers: 4
  mac_prefix: BC:24:11:0
  migration: { type: insecure, network: 10.20.20.0/24 }
  crs: { ha: static, ha_rebalance_on_start: true }
  ha: { shutdown_policy: migrate }
  bwlimit: { migration: 102400, restore: 51200 }
  next_id: { lower: 1000, upper: 2000 }
  tag_style: { shape: full, ordering: config, color_map: { prod: ff0000, lab: "00ff00:000000" } }
  webauthn: { rp: lab, id: lab.example.org, origin: "https://pve.lab.example.org:8006" }
)";

std::string DcExport(const E2eCluster& cluster, const Spec& input) {
  auto session = cli::ClusterSession::Open(input, cluster.Env(), nullptr);
  if (!session) return "session: " + session.error().message;
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  if (cli::RunExport(input, (*session)->kinds(), {}, console) != 0) return "export failed: " + err.str();
  return out.str();
}

TEST(DatacenterE2e, DeclaredOptionsConvergeInOneApplyThenPlanNothing) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(DcSpec(kDcOptions));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update datacenter/datacenter"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  nlohmann::json o = cluster->Client().Get("/cluster/options").data();
  EXPECT_EQ(o.value("keyboard", ""), "de");
  EXPECT_EQ(o["migration"]["network"], "10.20.20.0/24");
  EXPECT_EQ(o["crs"]["ha"], "static");
  EXPECT_EQ(o["ha"]["shutdown_policy"], "migrate");
  EXPECT_EQ(o.value("mac_prefix", ""), "BC:24:11:0");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(DatacenterE2e, OnlyDeclaredKeysAndSubKeysAreManaged) {
  E2E_START_OR_SKIP(cluster);
  // Set outside hainfra: a console, a migration type, a bandwidth limit the spec does not name.
  ASSERT_EQ(cluster->Client().Put("/cluster/options", {{"console", "vv"}, {"migration", "type=insecure"},
                                                      {"bwlimit", "clone=1000"}}).status, 200);
  auto spec = cluster->Load(DcSpec("  migration: { network: 10.20.20.0/24 }\n  bwlimit: { restore: 5000 }\n"));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(ChangedPaths(*plan, "datacenter/datacenter"), ElementsAre("migration.network", "bwlimit.restore"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  nlohmann::json o = cluster->Client().Get("/cluster/options").data();
  EXPECT_EQ(o.value("console", ""), "vv");
  EXPECT_EQ(o["migration"], (nlohmann::json{{"type", "insecure"}, {"network", "10.20.20.0/24"}}));
  EXPECT_EQ(o.value("bwlimit", ""), "clone=1000,restore=5000");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(DatacenterE2e, DefaultsAreNoDifferenceAndAnApiChangeIsDrift) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(DcSpec(
      "  keyboard: en-us\n  mac_prefix: bc:24:11\n  migration: { type: secure }\n  ha: { shutdown_policy: conditional }\n"
      "  next_id: { lower: 100 }\n"));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), IsEmpty()) << "Proxmox's defaults are what the spec asks";
  ASSERT_EQ(cluster->Client().Put("/cluster/options", {{"ha", "shutdown_policy=freeze"}}).status, 200);
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("datacenter/datacenter"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);
}

TEST(DatacenterE2e, TheExportPlansToNoChanges) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(DcSpec(kDcOptions));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  const std::string text = DcExport(*cluster, *spec);
  EXPECT_THAT(text, HasSubstr("datacenter:\n"));
  EXPECT_THAT(text, HasSubstr("shutdown_policy: migrate"));
  auto exported = cluster->Load(text, "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << text;
  auto plan = cluster->MakePlan(*exported);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), IsEmpty()) << text;
}

TEST(DatacenterE2e, AnEmptyNextIdRangeOnceMergedIsRefusedAtItsLine) {
  E2E_START_OR_SKIP(cluster);
  ASSERT_EQ(cluster->Client().Put("/cluster/options", {{"next-id", "upper=5000"}}).status, 200);
  auto spec = cluster->Load(DcSpec("  next_id: { lower: 6000 }\n"), "dc.yaml");
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->diagnostics.size(), 1u);
  const Diagnostic& refusal = plan->diagnostics.front();
  EXPECT_EQ(refusal.severity, Severity::kError);
  EXPECT_THAT(refusal.where.ToString(), HasSubstr("dc.yaml:"));
  EXPECT_THAT(refusal.message, HasSubstr("next_id.lower: lower 6000 is not below upper 5000"));
  EXPECT_NE(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->Client().Get("/cluster/options").data()["next-id"],
            (nlohmann::json{{"upper", "5000"}})) << "nothing written";
}

TEST(DatacenterE2e, DynamicCrsIsRefusedOnPve8AtItsLine) {
  E2E_START_OR_SKIP(cluster, DcOnPve(8));
  auto spec = cluster->Load(DcSpec("  crs: { ha: dynamic }\n"), "dc.yaml");
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().message, HasSubstr("dc.yaml:"));
  EXPECT_THAT(plan.error().message, HasSubstr("crs.ha: dynamic needs PVE 9"));
}

}  // namespace
}  // namespace hainfra::testing
