// `enforcement.ignore` end to end against pvesim: a VM field changed out of band that an ignore rule
// names is not drift — drift exits 0, the plan is empty, and the ignored count shows — while a field the
// rule does not name still is, and apply leaves the ignored one as the cluster has it.
#include <gtest/gtest.h>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"

namespace hainfra::testing {
namespace {

constexpr const char* kEnforcementK8sWorker = R"(
vms:
  - vmid: 100
    name: k8s-worker-1
    node: pve-01
    cores: 2
    memory: 2048
    tags: [k8s]
    disks:
      - { slot: scsi0, storage: local-lvm, size: 8G }
    nets:
      - { slot: net0, bridge: vmbr0 }
enforcement:
  ignore:
    - { kind: vm, tags: [k8s], fields: [memory, "nets[*].macaddr"] }
)";

// The VM's memory as the API reports it (PVE 9 writes it as a string).
int EnforcementMemoryOf(E2eCluster& cluster) {
  const nlohmann::json memory = cluster.Client().Get("/nodes/pve-01/qemu/100/config").data().value("memory", nlohmann::json());
  return memory.is_string() ? std::stoi(memory.get<std::string>()) : memory.is_number() ? memory.get<int>() : -1;
}

TEST(EnforcementE2e, AnIgnoredVmFieldChangedOutOfBandIsNotDrift) {
  E2E_START_OR_SKIP(cluster);
  Spec spec = LoadVmsOrFail(*cluster, kEnforcementK8sWorker);
  ApplyConverges(*cluster, spec);

  // The cluster autoscaler (say) resizes the worker behind hainfra's back.
  auto changed = cluster->Client().Put("/nodes/pve-01/qemu/100/config", {{"memory", "4096"}});
  ASSERT_EQ(changed.status, 200) << changed.raw;

  CommandRun drift = cluster->RunDrift(spec);
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
  EXPECT_EQ(drift.out.rfind("No drift: ", 0), 0u) << drift.out;
  EXPECT_NE(drift.out.find(" match the spec; 1 field ignored by enforcement.ignore.\n"), std::string::npos) << drift.out;

  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << StepsOf(*plan);
  EXPECT_EQ(plan->ignored_fields(), 1u);

  cli::PlanCommandOptions json;
  json.planning.json = true;
  CommandRun planned = cluster->RunPlan(spec, json);
  ASSERT_EQ(planned.exit_code, 0) << planned.out << planned.err;
  const nlohmann::json doc = nlohmann::json::parse(planned.out);
  EXPECT_EQ(doc["summary"]["ignored"], 1) << planned.out;
  bool listed = false;
  for (const auto& u : doc["unchanged"]) {
    if (u["address"] == "vm/100") listed = u.value("ignored", nlohmann::json::array()) == nlohmann::json::array({"memory"});
  }
  EXPECT_TRUE(listed) << planned.out;

  // Apply changes nothing: the memory stays as the cluster has it.
  CommandRun applied = cluster->RunApply(spec);
  EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(EnforcementMemoryOf(*cluster), 4096);
}

TEST(EnforcementE2e, AFieldTheRuleDoesNotNameIsStillDriftAndCorrected) {
  E2E_START_OR_SKIP(cluster);
  Spec spec = LoadVmsOrFail(*cluster, kEnforcementK8sWorker);
  ApplyConverges(*cluster, spec);
  auto changed = cluster->Client().Put("/nodes/pve-01/qemu/100/config", {{"memory", "4096"}, {"cores", "4"}});
  ASSERT_EQ(changed.status, 200) << changed.raw;

  CommandRun drift = cluster->RunDrift(spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("cores: 4 → 2"), std::string::npos) << drift.out;
  EXPECT_EQ(drift.out.find("memory"), std::string::npos) << drift.out;
  EXPECT_NE(drift.out.find("[1 ignored]"), std::string::npos) << drift.out;
  EXPECT_NE(drift.out.find("; 1 field ignored by enforcement.ignore."), std::string::npos) << drift.out;

  ApplyConverges(*cluster, spec);
  EXPECT_EQ(cluster->Client().Get("/nodes/pve-01/qemu/100/config").data().value("cores", 0), 2);
  EXPECT_EQ(EnforcementMemoryOf(*cluster), 4096);
}

}  // namespace
}  // namespace hainfra::testing
