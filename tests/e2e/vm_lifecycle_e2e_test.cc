// The VM kind end to end, beyond the basics: reboot-only changes, run state, migration (plain and through
// HA), a guest HA moved, the number of requests a plan makes, and many parallel creates.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {
namespace {

constexpr const char* kHeader = R"(
cluster:
  name: pvesim
  api: { endpoint: https://10.0.0.11:8006, token: hainfra@pve!ci, secret: "${env:HAINFRA_TEST_SECRET_NEVER_SET}" }
nodes:
  - { name: pve-01, address: 10.10.0.11 }
  - { name: pve-02, address: 10.10.0.12 }
  - { name: pve-03, address: 10.10.0.13 }
storage:
  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data, content: [images, rootdir] }
)";

// One guest; `extra` lines are appended to its entry.
std::string OneVm(const std::string& node, const std::string& state, int cores, const std::string& extra = "") {
  return "vms:\n  - vmid: 100\n    name: web\n    node: " + node + "\n    state: " + state +
         "\n    cores: " + std::to_string(cores) + "\n    memory: 1024\n" +
         "    disks: [ { slot: scsi0, storage: local-lvm, size: 4G } ]\n" +
         "    nets: [ { slot: net0, bridge: vmbr0 } ]\n" + extra;
}

Spec LoadOrFail(E2eCluster& cluster, const std::string& vms) {
  auto spec = cluster.Load(std::string(kHeader) + vms);
  EXPECT_TRUE(spec) << (spec ? "" : spec.error().message);
  return spec ? *spec : Spec{};
}

std::string StepsOf(const Plan& plan) {
  std::string out;
  for (const Step& s : plan.steps) {
    out += s.change.address.ToString() + " " + std::string(ActionName(s.change.action)) + ":";
    for (const FieldChange& f : s.change.fields) out += " " + f.path;
    out += "\n";
  }
  for (const Diagnostic& d : plan.diagnostics) out += d.ToString() + "\n";
  return out;
}

void ApplyConverges(E2eCluster& cluster, const Spec& spec) {
  CommandRun run = cluster.RunApply(spec);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  auto again = cluster.MakePlan(spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << StepsOf(*again);
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

TEST(VmLifecycleE2e, ARebootOnlyChangeIsFlaggedAndWaitsUnlessTheSpecAllowsARestart) {
  E2E_START_OR_SKIP(cluster);
  ApplyConverges(*cluster, LoadOrFail(*cluster, OneVm("pve-01", "running", 2)));

  Spec more_cores = LoadOrFail(*cluster, OneVm("pve-01", "running", 3));
  auto plan = cluster->MakePlan(more_cores);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << StepsOf(*plan);
  EXPECT_TRUE(plan->steps[0].change.reboot);
  ApplyConverges(*cluster, more_cores);  // pending counts as applied: the next plan is empty
  auto pending = cluster->Client().Get("/nodes/pve-01/qemu/100/pending").data();
  bool waiting = false;
  for (const auto& item : pending) waiting |= item.value("key", "") == "cores" && item.contains("pending");
  EXPECT_TRUE(waiting) << "not restarted without `reboot: allowed`: " << pending.dump();

  ApplyConverges(*cluster, LoadOrFail(*cluster, OneVm("pve-01", "running", 4, "    reboot: allowed\n")));
  pending = cluster->Client().Get("/nodes/pve-01/qemu/100/pending").data();
  for (const auto& item : pending) EXPECT_FALSE(item.contains("pending")) << "restarted: " << pending.dump();
  EXPECT_EQ(Guest(*cluster, 100).value("status", ""), "running");
}

TEST(VmLifecycleE2e, RunStateFollowsTheSpec) {
  E2E_START_OR_SKIP(cluster);
  ApplyConverges(*cluster, LoadOrFail(*cluster, OneVm("pve-01", "running", 2)));
  EXPECT_EQ(Guest(*cluster, 100).value("status", ""), "running");
  ApplyConverges(*cluster, LoadOrFail(*cluster, OneVm("pve-01", "stopped", 2)));
  EXPECT_EQ(Guest(*cluster, 100).value("status", ""), "stopped");
  ApplyConverges(*cluster, LoadOrFail(*cluster, OneVm("pve-01", "present", 2)));  // present: run state unmanaged
}

TEST(VmLifecycleE2e, AChangedNodeMigratesOnlineWithLocalDisks) {
  E2E_START_OR_SKIP(cluster);
  ApplyConverges(*cluster, LoadOrFail(*cluster, OneVm("pve-01", "running", 2)));
  ApplyConverges(*cluster, LoadOrFail(*cluster, OneVm("pve-02", "running", 2)));
  nlohmann::json guest = Guest(*cluster, 100);
  EXPECT_EQ(guest.value("node", ""), "pve-02");
  EXPECT_EQ(guest.value("status", ""), "running");
}

TEST(VmLifecycleE2e, AGuestHaMovedIsNotDraggedBackUnlessPinned) {
  PvesimOptions options;
  options.args = {"--ha-tick", "100"};
  E2E_START_OR_SKIP(cluster, options);
  ApplyConverges(*cluster, LoadOrFail(*cluster, OneVm("pve-01", "running", 2)));
  // HA takes the guest over and moves it, outside hainfra.
  auto added = cluster->Client().Post("/cluster/ha/resources", {{"sid", "vm:100"}, {"state", "started"}});
  ASSERT_EQ(added.status, 200) << added.raw;
  auto moved = cluster->Client().Post("/cluster/ha/resources/vm:100/migrate", {{"node", "pve-02"}});
  ASSERT_EQ(moved.status, 200) << moved.raw;
  ASSERT_TRUE(WaitFor([&] { return Guest(*cluster, 100).value("node", "") == "pve-02"; }));

  Spec unpinned = LoadOrFail(*cluster, OneVm("pve-01", "running", 2));
  auto plan = cluster->MakePlan(unpinned);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << "HA's placement is not drift: " << StepsOf(*plan);
  CommandRun drift = cluster->RunDrift(unpinned);
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;

  Spec pinned = LoadOrFail(*cluster, OneVm("pve-01", "running", 2, "    node_pinned: true\n"));
  plan = cluster->MakePlan(pinned);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << StepsOf(*plan);
  ApplyConverges(*cluster, pinned);  // through HA's migrate
  EXPECT_EQ(Guest(*cluster, 100).value("node", ""), "pve-01");
}

TEST(VmLifecycleE2e, APlanReadsTheListOnceAndOneConfigPerManagedGuest) {
  E2E_START_OR_SKIP(cluster);
  std::string vms = "vms:\n";
  const int n = 6;
  for (int i = 0; i < n; ++i) {
    vms += "  - { vmid: " + std::to_string(200 + i) + ", node: pve-0" + std::to_string(1 + i % 3) +
           ", cores: 1, memory: 512 }\n";
  }
  Spec spec = LoadOrFail(*cluster, vms);
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
    if (path == "/cluster/resources") ++lists;
    else if (std::regex_match(path, config_path)) ++configs;
    else if (path != "/version") ++others;
  }
  EXPECT_EQ(lists, 1) << seen;
  EXPECT_EQ(configs, n) << seen;
  EXPECT_EQ(others, 0) << seen;
}

TEST(VmLifecycleE2e, TwentyFourParallelCreatesOverThreeNodesAllSucceed) {
  E2E_START_OR_SKIP(cluster);
  std::string vms = "vms:\n";
  for (int i = 0; i < 24; ++i) {
    vms += "  - { vmid: " + std::to_string(300 + i) + ", node: pve-0" + std::to_string(1 + i % 3) +
           ", state: running, cores: 1, memory: 512, disks: [ { slot: scsi0, storage: local-lvm, size: 1G } ] }\n";
  }
  Spec spec = LoadOrFail(*cluster, vms);
  ApplyConverges(*cluster, spec);
  int running = 0;
  for (const auto& e : cluster->Client().Get("/cluster/resources", {{"type", "vm"}}).data()) {
    running += e.value("status", "") == "running" ? 1 : 0;
  }
  EXPECT_EQ(running, 24);
}

}  // namespace
}  // namespace hainfra::testing
