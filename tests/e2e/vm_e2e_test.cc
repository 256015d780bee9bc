// The VM kind end to end against pvesim (schema validation on) through the real transports and commands:
// create from nothing, plan again empty, updates by slot, out-of-band drift, deletion only with consent.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"

namespace hainfra::testing {
namespace {

constexpr const char* kTwoVms = R"(
vms:
  - vmid: 100
    name: web
    node: pve-01
    state: running
    cores: 2
    memory: 2048
    tags: [Web, prod]
    boot: [scsi0, net0]
    disks:
      - { slot: scsi0, storage: local-lvm, size: 8G, iothread: true, discard: true }
    nets:
      - { slot: net0, model: virtio, bridge: vmbr0, tag: 20 }
  - vmid: 101
    name: db
    node: pve-02
    cores: 4
    memory: 4096
    scsihw: virtio-scsi-single
    agent: true
    startup: { order: 2, up: 30 }
    disks:
      - { slot: scsi0, storage: local-lvm, size: 16G }
      - { slot: scsi1, storage: local-lvm, size: 4G }
    nets:
      - { slot: net0, bridge: vmbr0 }
      - { slot: net1, bridge: vmbr0, firewall: true }
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

nlohmann::json Config(E2eCluster& cluster, const std::string& node, int vmid) {
  return cluster.Client().Get("/nodes/" + node + "/qemu/" + std::to_string(vmid) + "/config").data();
}

class VmE2e : public ::testing::TestWithParam<int> {
 protected:
  PvesimOptions Options() const {
    PvesimOptions options;
    options.pve = GetParam();
    return options;
  }
};

TEST_P(VmE2e, CreatesFromNothingThenPlansEmpty) {
  E2E_START_OR_SKIP(cluster, Options());
  Spec spec = LoadVmsOrFail(*cluster, kTwoVms);
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 2u) << StepsOf(*plan);
  EXPECT_EQ(plan->steps[0].change.action, Action::kCreate);
  ApplyConverges(*cluster, spec);

  nlohmann::json web = Config(*cluster, "pve-01", 100);
  EXPECT_EQ(web.value("tags", ""), "hainfra;prod;web");
  EXPECT_NE(web.value("scsi0", "").find("size=8G"), std::string::npos) << web.dump();
  EXPECT_NE(web.value("net0", "").find("tag=20"), std::string::npos) << web.dump();
  auto status = cluster->Client().Get("/nodes/pve-01/qemu/100/status/current").data();
  EXPECT_EQ(status.value("status", ""), "running");
  nlohmann::json db = Config(*cluster, "pve-02", 101);
  EXPECT_EQ(db.value("startup", ""), "order=2,up=30");
}

TEST_P(VmE2e, UpdatesFieldsNicsAndDisksBySlotKeepingMacsAndDetachedDisks) {
  E2E_START_OR_SKIP(cluster, Options());
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, kTwoVms));
  const std::string mac_before = Config(*cluster, "pve-02", 101).value("net0", "");

  std::string vms = kTwoVms;
  vms = Replace(vms, "cores: 4", "cores: 6");
  vms = Replace(vms, "tags: [Web, prod]", "tags: [web, prod, frontend]");
  vms = Replace(vms, "size: 16G", "size: 20G");                                          // grow
  vms = Replace(vms, "      - { slot: scsi1, storage: local-lvm, size: 4G }\n",
                "      - { slot: scsi2, storage: local-lvm, size: 2G, ssd: true }\n");  // detach scsi1, add scsi2
  vms = Replace(vms, "      - { slot: net1, bridge: vmbr0, firewall: true }\n",
                "      - { slot: net2, bridge: vmbr0, tag: 30 }\n");                       // remove net1, add net2
  vms = Replace(vms, "      - { slot: net0, bridge: vmbr0 }\n", "      - { slot: net0, bridge: vmbr0, mtu: 1400 }\n");
  Spec spec = LoadVmsOrFail(*cluster, vms);
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 2u) << StepsOf(*plan);
  for (const Step& s : plan->steps) {
    EXPECT_EQ(s.change.action, Action::kUpdate) << StepsOf(*plan);
    EXPECT_FALSE(s.change.destructive) << StepsOf(*plan);
  }
  ApplyConverges(*cluster, spec);

  nlohmann::json db = Config(*cluster, "pve-02", 101);
  EXPECT_EQ(db.value("cores", 0), 6);
  EXPECT_NE(db.value("scsi0", "").find("size=20G"), std::string::npos) << db.dump();
  EXPECT_FALSE(db.contains("scsi1")) << db.dump();
  EXPECT_NE(db.value("unused0", "").find("vm-101-disk-1"), std::string::npos) << "detached and kept: " << db.dump();
  EXPECT_NE(db.value("scsi2", "").find("size=2G"), std::string::npos) << db.dump();
  EXPECT_NE(db.value("scsi2", "").find("ssd=1"), std::string::npos) << db.dump();
  EXPECT_FALSE(db.contains("net1")) << db.dump();
  EXPECT_NE(db.value("net2", "").find("tag=30"), std::string::npos) << db.dump();
  const std::string mac = mac_before.substr(0, mac_before.find(','));
  EXPECT_EQ(db.value("net0", "").substr(0, mac.size()), mac) << "the assigned MAC is kept: " << db.dump();
  EXPECT_EQ(Config(*cluster, "pve-01", 100).value("tags", ""), "frontend;hainfra;prod;web");
}

TEST_P(VmE2e, AShrinkIsRefusedAtTheSizeField) {
  E2E_START_OR_SKIP(cluster, Options());
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, kTwoVms));
  Spec spec = LoadVmsOrFail(*cluster, Replace(kTwoVms, "size: 16G", "size: 10G"));
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_FALSE(plan->diagnostics.empty()) << StepsOf(*plan);
  const Diagnostic& d = plan->diagnostics.front();
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.message.find("cannot shrink"), std::string::npos) << d.message;
  const std::string text = std::string(kVmSpecHeader) + Replace(kTwoVms, "size: 16G", "size: 10G");
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.find("size: 10G")), '\n'));
  EXPECT_EQ(d.where.line, line) << d.ToString();  // the `size: 10G` of vm 101's scsi0
  CommandRun run = cluster->RunApply(spec);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(Config(*cluster, "pve-02", 101).value("scsi0", "").find("size=16G"), std::string::npos);
}

TEST_P(VmE2e, AnOutOfBandChangeIsDriftNamingTheField) {
  E2E_START_OR_SKIP(cluster, Options());
  Spec spec = LoadVmsOrFail(*cluster, kTwoVms);
  ApplyConverges(*cluster, spec);
  auto changed = cluster->Client().Put("/nodes/pve-02/qemu/101/config", {{"cores", "8"}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  CommandRun drift = cluster->RunDrift(spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("vm/101"), std::string::npos) << drift.out;
  EXPECT_NE(drift.out.find("cores"), std::string::npos) << drift.out;
  ApplyConverges(*cluster, spec);
  EXPECT_EQ(Config(*cluster, "pve-02", 101).value("cores", 0), 4);
}

TEST_P(VmE2e, DeletesOnlyWithStateAbsentAndAllowDestroy) {
  E2E_START_OR_SKIP(cluster, Options());
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, kTwoVms));
  // Left out of the spec: left alone (no prune).
  Spec only_db = LoadVmsOrFail(*cluster, Replace(kTwoVms, "    state: running\n", "    state: absent\n"));
  auto plan = cluster->MakePlan(only_db);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << StepsOf(*plan);
  EXPECT_EQ(plan->steps[0].change.action, Action::kDelete);
  EXPECT_TRUE(plan->steps[0].change.destructive);

  CommandRun refused = cluster->RunApply(only_db);
  EXPECT_NE(refused.exit_code, 0) << refused.out << refused.err;
  EXPECT_EQ(cluster->Client().Get("/nodes/pve-01/qemu/100/config").status, 200) << "not deleted without consent";

  cli::ApplyCommandOptions destroy = E2eCluster::DefaultApply();
  destroy.allow_destroy = true;
  CommandRun run = cluster->RunApply(only_db, destroy);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(cluster->Client().Get("/nodes/pve-01/qemu/100/config").status, 200);
  auto again = cluster->MakePlan(only_db);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << StepsOf(*again);
}

INSTANTIATE_TEST_SUITE_P(Pve, VmE2e, ::testing::Values(9, 8), [](const auto& p) {
  return "Pve" + std::to_string(p.param);
});

}  // namespace
}  // namespace hainfra::testing
