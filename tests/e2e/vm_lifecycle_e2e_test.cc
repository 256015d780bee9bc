// The VM kind end to end, beyond the basics: reboot-only changes, run state, migration (plain and through
// HA), a guest HA moved, the number of requests a plan makes, and many parallel creates.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <regex>
#include <thread>

#include "providers/kinds/vm_config.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"

namespace hainfra::testing {
namespace {

// One guest; `extra` lines are appended to its entry.
std::string OneVm(const std::string& node, const std::string& state, int cores, const std::string& extra = "") {
  return "vms:\n  - vmid: 100\n    name: web\n    node: " + node + "\n    state: " + state +
         "\n    cores: " + std::to_string(cores) + "\n    memory: 1024\n" +
         "    disks: [ { slot: scsi0, storage: local-lvm, size: 4G } ]\n" +
         "    nets: [ { slot: net0, bridge: vmbr0 } ]\n" + extra;
}

nlohmann::json Guest(E2eCluster& cluster, int vmid) {
  auto list = cluster.Client().Get("/cluster/resources", {{"type", "vm"}}).data();
  for (const auto& e : list) {
    if (e.value("vmid", 0) == vmid) return e;
  }
  return nullptr;
}

// Polls until `done` or 20 s pass.
bool WaitFor(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// Every test on PVE 9 and PVE 8.
class VmLifecycleE2e : public ::testing::TestWithParam<int> {
 protected:
  PvesimOptions Options() const {
    PvesimOptions options;
    options.pve = GetParam();
    return options;
  }
};

TEST_P(VmLifecycleE2e, ARebootOnlyChangeIsFlaggedAndWaitsUnlessTheSpecAllowsARestart) {
  E2E_START_OR_SKIP(cluster, Options());
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "running", 2)));

  Spec more_cores = LoadVmsOrFail(*cluster, OneVm("pve-01", "running", 3));
  auto plan = cluster->MakePlan(more_cores);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << StepsOf(*plan);
  EXPECT_TRUE(plan->steps[0].change.reboot);
  ApplyConverges(*cluster, more_cores);  // pending counts as applied: the next plan is empty
  auto pending = cluster->Client().Get("/nodes/pve-01/qemu/100/pending").data();
  bool waiting = false;
  for (const auto& item : pending) waiting |= item.value("key", "") == "cores" && item.contains("pending");
  EXPECT_TRUE(waiting) << "not restarted without `reboot: allowed`: " << pending.dump();

  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "running", 4, "    reboot: allowed\n")));
  pending = cluster->Client().Get("/nodes/pve-01/qemu/100/pending").data();
  for (const auto& item : pending) EXPECT_FALSE(item.contains("pending")) << "restarted: " << pending.dump();
  EXPECT_EQ(Guest(*cluster, 100).value("status", ""), "running");
}

TEST_P(VmLifecycleE2e, RunStateFollowsTheSpec) {
  E2E_START_OR_SKIP(cluster, Options());
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "running", 2)));
  EXPECT_EQ(Guest(*cluster, 100).value("status", ""), "running");
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "stopped", 2)));
  EXPECT_EQ(Guest(*cluster, 100).value("status", ""), "stopped");
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "present", 2)));  // present: run state unmanaged
}

TEST_P(VmLifecycleE2e, AChangedNodeMigratesOnlineWithLocalDisks) {
  E2E_START_OR_SKIP(cluster, Options());
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "running", 2)));
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-02", "running", 2)));
  nlohmann::json guest = Guest(*cluster, 100);
  EXPECT_EQ(guest.value("node", ""), "pve-02");
  EXPECT_EQ(guest.value("status", ""), "running");
}

TEST_P(VmLifecycleE2e, AChangedNodeMigratesAStoppedGuestOffline) {
  E2E_START_OR_SKIP(cluster, Options());
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "stopped", 2)));
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-03", "stopped", 2)));
  nlohmann::json guest = Guest(*cluster, 100);
  EXPECT_EQ(guest.value("node", ""), "pve-03");
  EXPECT_EQ(guest.value("status", ""), "stopped");
}

TEST_P(VmLifecycleE2e, AGuestHaMovedIsNotDraggedBackUnlessPinned) {
  PvesimOptions options = Options();
  options.args = {"--ha-tick", "100"};
  E2E_START_OR_SKIP(cluster, options);
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "running", 2)));
  // HA takes the guest over and moves it, outside hainfra.
  auto added = cluster->Client().Post("/cluster/ha/resources", {{"sid", "vm:100"}, {"state", "started"}});
  ASSERT_EQ(added.status, 200) << added.raw;
  auto moved = cluster->Client().Post("/cluster/ha/resources/vm:100/migrate", {{"node", "pve-02"}});
  ASSERT_EQ(moved.status, 200) << moved.raw;
  ASSERT_TRUE(WaitFor([&] { return Guest(*cluster, 100).value("node", "") == "pve-02"; }));

  Spec unpinned = LoadVmsOrFail(*cluster, OneVm("pve-01", "running", 2));
  auto plan = cluster->MakePlan(unpinned);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << "HA's placement is not drift: " << StepsOf(*plan);
  CommandRun drift = cluster->RunDrift(unpinned);
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;

  Spec pinned = LoadVmsOrFail(*cluster, OneVm("pve-01", "running", 2, "    node_pinned: true\n"));
  plan = cluster->MakePlan(pinned);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << StepsOf(*plan);
  ApplyConverges(*cluster, pinned);  // through HA's migrate
  EXPECT_EQ(Guest(*cluster, 100).value("node", ""), "pve-01");
}

TEST_P(VmLifecycleE2e, APlanReadsTheListOnceAndOneConfigPerManagedGuest) {
  E2E_START_OR_SKIP(cluster, Options());
  std::string vms = "vms:\n";
  const int n = 6;
  for (int i = 0; i < n; ++i) {
    vms += "  - { vmid: " + std::to_string(200 + i) + ", node: pve-0" + std::to_string(1 + i % 3) +
           ", cores: 1, memory: 512 }\n";
  }
  Spec spec = LoadVmsOrFail(*cluster, vms);
  ApplyConverges(*cluster, spec);
  // An unmanaged guest costs nothing.
  auto other = cluster->Client().Post("/nodes/pve-01/qemu", {{"vmid", "900"}});
  ASSERT_EQ(other.status, 200) << other.raw;
  cluster->Client().WaitTask(other.data());

  ASSERT_EQ(cluster->Client().Control("DELETE", "/requests").status, 200);
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << StepsOf(*plan);
  auto log = cluster->Client().Control("GET", "/requests?limit=1000").data();
  int lists = 0, configs = 0, others = 0;
  std::string seen;
  const std::regex config_path("^/nodes/pve-0[1-3]/qemu/2[0-9][0-9]/config$");
  for (const auto& r : log) {
    const std::string path = r.value("path", "");
    seen += r.value("method", "") + " " + path + "\n";
    // Other kinds make their own requests; the VM kind's are the guest list and the guests' paths.
    const bool guest_list = path == "/cluster/resources" && r.value("params", nlohmann::json::object()).value("type", "") == "vm";
    if (guest_list) ++lists;
    else if (std::regex_match(path, config_path)) ++configs;
    else if (path.find("/qemu") != std::string::npos) ++others;
  }
  EXPECT_EQ(lists, 1) << seen;
  EXPECT_EQ(configs, n) << seen;
  EXPECT_EQ(others, 0) << seen;
}

TEST_P(VmLifecycleE2e, TwentyFourParallelCreatesOverThreeNodesAllSucceed) {
  E2E_START_OR_SKIP(cluster, Options());
  std::string vms = "vms:\n";
  for (int i = 0; i < 24; ++i) {
    vms += "  - { vmid: " + std::to_string(300 + i) + ", node: pve-0" + std::to_string(1 + i % 3) +
           ", state: running, cores: 1, memory: 512, disks: [ { slot: scsi0, storage: local-lvm, size: 1G } ] }\n";
  }
  Spec spec = LoadVmsOrFail(*cluster, vms);
  ApplyConverges(*cluster, spec);
  int running = 0;
  for (const auto& e : cluster->Client().Get("/cluster/resources", {{"type", "vm"}}).data()) {
    running += e.value("status", "") == "running" ? 1 : 0;
  }
  EXPECT_EQ(running, 24);
}

TEST_P(VmLifecycleE2e, CloudInitEfiAndStartupReadBackWithoutDifferences) {
  E2E_START_OR_SKIP(cluster, Options());
  Spec spec = LoadVmsOrFail(*cluster, R"(vms:
  - vmid: 150
    name: ci
    node: pve-03
    bios: ovmf
    machine: q35
    efi_disk: { storage: local-lvm, efitype: 4m, pre_enrolled_keys: true }
    onboot: true
    startup: { order: 3, up: 10, down: 60 }
    description: "Line one\nline two"
    disks: [ { slot: virtio0, storage: local-lvm, size: 2G, cache: writeback, backup: false } ]
    nets: [ { slot: net0, model: e1000, bridge: vmbr0, macaddr: "bc:24:11:aa:bb:cc", trunks: ["10", "20-30"] } ]
    cloud_init:
      user: ops
      password: "${env:HOME}"
      ssh_keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHkq0Y0lAbVZp1JqL8eF3o2mXWd5s9Tn6rRuQk3hJcDa ops@lab"]
      ip: [ { slot: ipconfig0, ip: 10.0.0.5/24, gateway: 10.0.0.1 } ]
      nameservers: [10.0.0.2]
      search_domain: lab.example
      storage: local-lvm
)");
  ApplyConverges(*cluster, spec);
  auto config = cluster->Client().Get("/nodes/pve-03/qemu/150/config").data();
  EXPECT_NE(config.value("efidisk0", "").find("efitype=4m"), std::string::npos) << config.dump();
  EXPECT_NE(config.value("ide2", "").find("cloudinit"), std::string::npos) << config.dump();
  EXPECT_EQ(config.value("net0", "").substr(0, 23), "e1000=BC:24:11:AA:BB:CC") << config.dump();
}

TEST_P(VmLifecycleE2e, PruningDeletesOnlyGuestsCarryingTheHainfraTag) {
  E2E_START_OR_SKIP(cluster, Options());
  const std::string two = "vms:\n  - { vmid: 200, node: pve-01, cores: 1 }\n  - { vmid: 201, node: pve-02, cores: 1 }\n";
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, two));
  auto other = cluster->Client().Post("/nodes/pve-01/qemu", {{"vmid", "900"}, {"tags", "mine"}});
  ASSERT_EQ(other.status, 200) << other.raw;
  cluster->Client().WaitTask(other.data());

  Spec one = LoadVmsOrFail(*cluster, "vms:\n  - { vmid: 200, node: pve-01, cores: 1 }\n");
  auto plain = cluster->MakePlan(one);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_TRUE(plain->empty()) << "left out is left alone: " << StepsOf(*plain);
  cli::PlanningOptions prune;
  prune.prune = {"vm"};
  auto pruned = cluster->MakePlan(one, prune);
  ASSERT_TRUE(pruned) << pruned.error().message;
  ASSERT_EQ(pruned->steps.size(), 1u) << StepsOf(*pruned);
  EXPECT_EQ(pruned->steps[0].change.address.ToString(), "vm/201");
  EXPECT_EQ(pruned->steps[0].change.action, Action::kDelete);
}

TEST_P(VmLifecycleE2e, ALockTimeoutIsRetriedUntilTheLockIsFree) {
  E2E_START_OR_SKIP(cluster, Options());  // qemu-server's lock wait: 1 s here
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "present", 2)));
  auto held = cluster->Client().Control("POST", "/locks/100", {{"ms", 2500}});
  ASSERT_EQ(held.status, 200) << held.raw;
  CommandRun run = cluster->RunApply(LoadVmsOrFail(*cluster, OneVm("pve-01", "present", 3)));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(cluster->Client().Get("/nodes/pve-01/qemu/100/config").data().value("cores", 0), 3);
}

TEST_P(VmLifecycleE2e, AConfFileReadsLikeTheApiWithTheSameDigest) {
  E2E_START_OR_SKIP(cluster, Options());
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneVm("pve-01", "running", 2, "    description: \"web, 100% ours\"\n"
                                                                             "    tags: [web]\n")));
  // Pending changes too: the bulk path must read the current section only.
  ASSERT_EQ(cluster->Client().Post("/nodes/pve-01/qemu/100/config", {{"cores", "3"}}).status, 200);
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& item : cluster->Client().Get("/nodes/pve-01/qemu/100/pending").data()) {
      if (item.value("key", "") == "cores" && item.contains("pending")) return true;
    }
    return false;
  }));
  std::ifstream in(cluster->sim().state_dir() + "/etc-pve/nodes/pve-01/qemu-server/100.conf");
  ASSERT_TRUE(in) << "pvesim keeps /etc/pve under its state dir";
  std::stringstream text;
  text << in.rdbuf();
  auto from_file = providers::vm::ParseConfText(text.str());
  ASSERT_TRUE(from_file) << from_file.error().message;
  auto from_api = cluster->Client().Get("/nodes/pve-01/qemu/100/config", {{"current", "1"}}).data();
  EXPECT_EQ((*from_file)["digest"], from_api["digest"]);
  auto a = providers::vm::ConfigToBody(*from_file), b = providers::vm::ConfigToBody(from_api);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
}

INSTANTIATE_TEST_SUITE_P(Pve, VmLifecycleE2e, ::testing::Values(9, 8),
                         [](const auto& p) { return "Pve" + std::to_string(p.param); });

}  // namespace
}  // namespace hainfra::testing
