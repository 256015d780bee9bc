// The GitOps flow end to end against pvesim (schema validation on) with the real kinds: `plan --out FILE`
// in the merge request, `apply FILE` after review. The saved plan applies exactly (the second plan is
// empty), and a change made in the cluster between plan and apply makes apply refuse, naming the object.
#include <gtest/gtest.h>

#include "engine/planfile/plan_file.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

// VMs, a storage, an SDN VLAN, a backup job and an HA resource: every kind pvesim serves without SSH.
constexpr const char* kGitopsObjects = R"(
  - { id: backups, type: dir, path: /srv/backups, content: [backup] }
vlans:
  - { name: research, zone: prod, bridge: vmbr0, tag: 20 }
vms:
  - vmid: 100
    name: web
    node: pve-01
    cores: 2
    memory: 2048
    disks: [ { slot: scsi0, storage: local-lvm, size: 8G } ]
    nets: [ { slot: net0, bridge: vmbr0, tag: 20 } ]
  - vmid: 101
    name: db
    node: pve-02
    cores: 4
    memory: 4096
    disks: [ { slot: scsi0, storage: local-lvm, size: 16G } ]
backup_jobs:
  - { id: nightly, schedule: "02:00", storage: backups, mode: snapshot, vms: [100, 101] }
ha:
  resources:
    - { sid: "vm:101", state: stopped }
)";

std::string GitopsSpecText(const std::string& objects = kGitopsObjects) {
  return std::string(kVmSpecHeader) + objects;
}

std::string SwapOnce(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

cli::ApplyCommandOptions ApplyFile(const std::string& path) {
  cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
  options.auto_approve = false;  // a saved plan was reviewed: apply runs it without asking
  options.plan_file = path;
  return options;
}

CommandRun PlanTo(const E2eCluster& cluster, const Spec& spec, const std::string& path) {
  cli::PlanCommandOptions options;
  options.out = path;
  return cluster.RunPlan(spec, options);
}

TEST(SavedPlanE2e, TheSavedPlanAppliesExactlyAndTheNextPlanIsEmpty) {
  E2E_START_OR_SKIP(cluster);
  TempDir dir("saved-plan-e2e");
  const Spec spec = LoadOrFail(*cluster, GitopsSpecText());
  const std::string path = dir.File("plan.json");
  CommandRun plan = PlanTo(*cluster, spec, path);
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  Result<Plan> saved = planfile::ReadPlanFile(path);
  ASSERT_TRUE(saved) << saved.error().message;
  const std::string steps = StepsOf(*saved);
  for (const char* address : {"storage/backups create", "vlan/research create", "vm/100 create", "vm/101 create",
                              "backup_job/nightly create", "ha_resource/vm:101 create"}) {
    EXPECT_NE(steps.find(address), std::string::npos) << address << " in\n" << steps;
  }

  CommandRun apply = cluster->RunApply(spec, ApplyFile(path));
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  ExpectEmptyPlan(*cluster, spec);
  EXPECT_EQ(cluster->Client().Get("/nodes/pve-02/qemu/101/config").data().value("cores", 0), 4);
  EXPECT_EQ(cluster->Client().Get("/cluster/backup/nightly").data().value("vmid", ""), "100,101");
  EXPECT_EQ(cluster->Client().Get("/cluster/ha/resources/vm:101").status, 200);
}

TEST(SavedPlanE2e, AnUpdatePlanAppliesOnlyWhatItShowed) {
  E2E_START_OR_SKIP(cluster);
  TempDir dir("saved-plan-e2e");
  ApplyConverges(*cluster, LoadOrFail(*cluster, GitopsSpecText()));
  const Spec spec = LoadOrFail(*cluster, GitopsSpecText(SwapOnce(kGitopsObjects, "cores: 4", "cores: 6")));
  const std::string path = dir.File("plan.json");
  ASSERT_EQ(PlanTo(*cluster, spec, path).exit_code, 0);
  Result<Plan> saved = planfile::ReadPlanFile(path);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(StepsOf(*saved), "vm/101 update: cores\n");

  CommandRun apply = cluster->RunApply(spec, ApplyFile(path));
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(cluster->Client().Get("/nodes/pve-02/qemu/101/config").data().value("cores", 0), 6);
  ExpectEmptyPlan(*cluster, spec);
}

TEST(SavedPlanE2e, AVmChangedThroughTheApiAfterThePlanMakesApplyRefuseNamingIt) {
  E2E_START_OR_SKIP(cluster);
  TempDir dir("saved-plan-e2e");
  ApplyConverges(*cluster, LoadOrFail(*cluster, GitopsSpecText()));
  const Spec spec = LoadOrFail(*cluster, GitopsSpecText(SwapOnce(kGitopsObjects, "cores: 4", "cores: 6")));
  const std::string path = dir.File("plan.json");
  ASSERT_EQ(PlanTo(*cluster, spec, path).exit_code, 0);

  auto changed = cluster->Client().Put("/nodes/pve-02/qemu/101/config", {{"memory", "8192"}});  // a colleague
  ASSERT_EQ(changed.status, 200) << changed.raw;
  CommandRun apply = cluster->RunApply(spec, ApplyFile(path));
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE(apply.err.find("error: " + path + ": the saved plan is stale: objects changed in the cluster since the "
                           "plan was made: vm/101 (version "),
            std::string::npos)
      << apply.err;
  EXPECT_NE(apply.err.find("Make a new plan."), std::string::npos) << apply.err;
  nlohmann::json config = cluster->Client().Get("/nodes/pve-02/qemu/101/config").data();
  EXPECT_EQ(config.value("cores", 0), 4) << "nothing applied";
  EXPECT_EQ(config.value("memory", ""), "8192") << "the colleague's change stands";
}

TEST(SavedPlanE2e, AnObjectCreatedThroughTheApiAfterThePlanMakesApplyRefuseNamingIt) {
  E2E_START_OR_SKIP(cluster);
  TempDir dir("saved-plan-e2e");
  const Spec spec = LoadOrFail(*cluster, GitopsSpecText());
  const std::string path = dir.File("plan.json");
  ASSERT_EQ(PlanTo(*cluster, spec, path).exit_code, 0);

  auto created = cluster->Client().Post("/cluster/backup", {{"id", "nightly"}, {"schedule", "03:00"},
                                                            {"storage", "local"}, {"all", "1"}});
  ASSERT_EQ(created.status, 200) << created.raw;
  CommandRun apply = cluster->RunApply(spec, ApplyFile(path));
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE(apply.err.find("backup_job/nightly (now exists)"), std::string::npos) << apply.err;
  EXPECT_NE(cluster->Client().Get("/nodes/pve-01/qemu/100/config").status, 200) << "nothing applied";
}

TEST(SavedPlanE2e, TheMarkdownOfARealPlanNamesEveryObjectAndNoSecret) {
  E2E_START_OR_SKIP(cluster);
  const Spec spec = LoadOrFail(*cluster, GitopsSpecText());
  cli::PlanCommandOptions options;
  options.markdown = true;
  CommandRun plan = cluster->RunPlan(spec, options);
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.out.rfind("### hainfra plan\n\n**Plan: 6 to create, 0 to update, 0 to replace, 0 to delete.**", 0),
            0u)
      << plan.out;
  for (const char* address : {"storage/backups", "vlan/research", "vm/100", "vm/101", "backup_job/nightly",
                              "ha_resource/vm:101"}) {
    EXPECT_NE(plan.out.find("<b><code>" + std::string(address) + "</code></b>"), std::string::npos) << address;
  }
  int secrets = 0;  // the API token's secret the session used (HAINFRA_API_SECRET)
  for (const auto& [name, value] : cluster->sim().env()) {
    if (name.find("SECRET") != std::string::npos && !value.empty()) {
      ++secrets;
      EXPECT_EQ(plan.out.find(value), std::string::npos) << name << " leaked into the markdown";
    }
  }
  EXPECT_GE(secrets, 1);
}

}  // namespace
}  // namespace hainfra::testing
