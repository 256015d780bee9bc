// replication/<guest>-<jobnum> end to end against pvesim (schema validation on): create, an empty second
// plan, an update in place, drift made through the API, removal only with consent and `state: absent`.
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

PvesimOptions ReplicationWorld(const TempDir& dir) {
  PvesimOptions options;
  options.args = WorldArgs(dir, GuestWorld(9, {100, 101}));
  return options;
}

#define REPLICATION_START_OR_SKIP(var)  \
  TempDir var##_dir("replication-e2e"); \
  E2E_START_OR_SKIP(var, ReplicationWorld(var##_dir))

// Guest 100 runs on pve-01 (GuestWorld), so pve-02 is another node.
std::string ReplicationSpec(const std::string& job) {
  return ClusterHead() + GuestYaml({100, 101}) + "replication:\n  - " + job + "\n";
}

TEST(ReplicationE2e, CreatesTheJobThenPlansNothing) {
  REPLICATION_START_OR_SKIP(cluster);
  auto spec = cluster->Load(ReplicationSpec(R"({ id: 100-0, target: pve-02, schedule: "*/30", rate: 50, comment: to pve-02 })"));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("create replication/100-0"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  nlohmann::json job = cluster->Client().Get("/cluster/replication/100-0").data();
  EXPECT_EQ(job.value("target", ""), "pve-02");
  EXPECT_EQ(job.value("schedule", ""), "*/30");
  EXPECT_EQ(job.value("guest", 0), 100);
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(ReplicationE2e, UpdatesInPlaceAndTheDefaultsAreNoChange) {
  REPLICATION_START_OR_SKIP(cluster);
  auto spec = cluster->Load(ReplicationSpec(R"({ id: 100-0, target: pve-02, rate: 50, comment: nightly })"));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  // Proxmox's defaults written out change nothing; the rate goes, the job pauses.
  auto changed = cluster->Load(ReplicationSpec(R"({ id: 100-0, target: pve-02, schedule: "*/15", disable: true })"));
  ASSERT_TRUE(changed) << changed.error().message;
  auto plan = cluster->MakePlan(*changed);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update replication/100-0"));
  EXPECT_THAT(ChangedPaths(*plan, "replication/100-0"), ElementsAre("disable"));
  ASSERT_EQ(cluster->RunApply(*changed).exit_code, 0);
  nlohmann::json job = cluster->Client().Get("/cluster/replication/100-0").data();
  EXPECT_EQ(job.value("disable", 0), 1);
  // Not written: not managed; the rate and comment stay.
  EXPECT_EQ(job.value("comment", ""), "nightly");
  auto again = cluster->MakePlan(*changed);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(ReplicationE2e, AChangeMadeThroughTheApiIsDriftAndRemovalNeedsConsent) {
  REPLICATION_START_OR_SKIP(cluster);
  const char* job = R"({ id: 101-0, target: pve-01, schedule: "*/30" })";  // guest 101 runs on pve-02
  auto spec = cluster->Load(ReplicationSpec(job));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  ApiResult put = cluster->Client().Put("/cluster/replication/101-0", {{"schedule", "mon 02:00"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("replication/101-0"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);

  // A job the spec does not name is left alone; `state: absent` removes it, with consent.
  auto absent = cluster->Load(ReplicationSpec(R"({ id: 101-0, target: pve-01, state: absent })"));
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  EXPECT_FALSE(cluster->Client().Get("/cluster/replication/101-0").data().contains("remove_job"));
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  CommandRun removed = cluster->RunApply(*absent, options);
  ASSERT_EQ(removed.exit_code, 0) << removed.out << removed.err;
  // Proxmox marks the job; its runner removes the replicated volumes, then the entry. Already gone for hainfra.
  EXPECT_EQ(cluster->Client().Get("/cluster/replication/101-0").data().value("remove_job", ""), "full");
  auto after = cluster->MakePlan(*absent);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_THAT(StepLines(*after), IsEmpty());
}

TEST(ReplicationE2e, ANewTargetIsRefusedAtPlanTime) {
  REPLICATION_START_OR_SKIP(cluster);
  auto spec = cluster->Load(ReplicationSpec("{ id: 100-0, target: pve-02 }"));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  auto moved = cluster->Load(ReplicationSpec("{ id: 100-0, target: pve-03 }"), "replication.yaml");
  ASSERT_TRUE(moved) << moved.error().message;
  auto plan = cluster->MakePlan(*moved);
  ASSERT_TRUE(plan) << plan.error().message;
  std::string said;
  for (const Diagnostic& d : plan->diagnostics) said += d.where.ToString() + ": " + d.message + "\n";
  EXPECT_THAT(said, HasSubstr("replication.yaml:"));
  EXPECT_THAT(said, HasSubstr("Proxmox cannot change it"));
  EXPECT_NE(cluster->RunApply(*moved).exit_code, 0);
  EXPECT_EQ(cluster->Client().Get("/cluster/replication/100-0").data().value("target", ""), "pve-02");
}

TEST(ReplicationE2e, TheExportPlansToNoChanges) {
  REPLICATION_START_OR_SKIP(cluster);
  auto spec = cluster->Load(ReplicationSpec(R"({ id: 100-0, target: pve-03, rate: 12.5, comment: offsite })"));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  auto session = cli::ClusterSession::Open(*spec, cluster->Env(), nullptr);
  ASSERT_TRUE(session) << session.error().message;
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  ASSERT_EQ(cli::RunExport(*spec, (*session)->kinds(), {}, console), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("100-0"));
  EXPECT_THAT(out.str(), HasSubstr("rate: 12.5"));
  auto exported = cluster->Load(out.str(), "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << out.str();
  auto plan = cluster->MakePlan(*exported);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), IsEmpty()) << out.str();
}

}  // namespace
}  // namespace hainfra::testing

#undef REPLICATION_START_OR_SKIP
