// The container kind end to end against pvesim (schema validation on) through the real transports: create
// from a template in one apply with an empty second plan, hot vs pending updates with and without
// `reboot: allowed`, volumes that grow and never shrink, a removed mount point detached and kept, a node
// change migrating in restart mode, a container HA moved left where HA put it, and export round-tripping it.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "cli/cluster_session.h"
#include "cli/export_command.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"

namespace hainfra::testing {
namespace {

std::string OneCt(const std::string& node, const std::string& state, const std::string& extra = "",
                  const std::string& memory = "1024", const std::string& rootfs = "8G") {
  return "containers:\n  - vmid: 300\n    hostname: web-ct\n    node: " + node + "\n    state: " + state +
         "\n    ostemplate: local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst\n    unprivileged: true\n" +
         "    cores: 2\n    memory: " + memory + "\n    swap: 512\n    tags: [web]\n" +
         "    features: { nesting: true }\n" +
         "    rootfs: { storage: local-lvm, size: " + rootfs + " }\n" +
         "    nets: [ { name: eth0, bridge: vmbr0, ip: dhcp } ]\n" + extra;
}

constexpr const char* kDataMount = "    mount_points: [ { slot: mp0, storage: local-lvm, size: 2G, path: /data, backup: true } ]\n";

nlohmann::json CtConfig(E2eCluster& cluster, const std::string& node, bool current = false) {
  Form query;
  if (current) query = {{"current", "1"}};
  return cluster.Client().Get("/nodes/" + node + "/lxc/300/config", query).data();
}

nlohmann::json CtEntry(E2eCluster& cluster) {
  for (const auto& e : cluster.Client().Get("/cluster/resources", {{"type", "vm"}}).data()) {
    if (e.value("vmid", 0) == 300) return e;
  }
  return nullptr;
}

bool CtWaitFor(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// Downloads the Debian template to every node's `local` storage from the appliance index, as an administrator
// does before creating containers (pvesim, like pve-container, refuses a template file that is not there).
void DownloadCtTemplate(E2eCluster& cluster) {
  for (const char* node : {"pve-01", "pve-02", "pve-03"}) {
    ApiResult r = cluster.Client().Post(std::string("/nodes/") + node + "/aplinfo",
                                        {{"storage", "local"}, {"template", "debian-12-standard_12.7-1_amd64.tar.zst"}});
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(cluster.Client().WaitTask(r.data()), "OK");
  }
}

class CtE2e : public ::testing::TestWithParam<int> {
 protected:
  PvesimOptions Options() const {
    PvesimOptions options;
    options.pve = GetParam();
    return options;
  }
};

TEST_P(CtE2e, CreatesFromATemplateInOneApplyThenPlansEmpty) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_NO_FATAL_FAILURE(DownloadCtTemplate(*cluster));
  Spec spec = LoadVmsOrFail(*cluster, OneCt("pve-01", "running", kDataMount));
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << StepsOf(*plan);
  EXPECT_EQ(plan->steps[0].change.action, Action::kCreate);
  ApplyConverges(*cluster, spec);
  nlohmann::json conf = CtConfig(*cluster, "pve-01");
  EXPECT_EQ(conf.value("hostname", ""), "web-ct");
  EXPECT_EQ(conf.value("tags", ""), "hainfra;web");
  EXPECT_EQ(conf.value("features", ""), "nesting=1");
  EXPECT_EQ(conf.value("unprivileged", 0), 1);
  EXPECT_EQ(conf.value("rootfs", ""), "local-lvm:vm-300-disk-0,size=8G");
  EXPECT_EQ(conf.value("mp0", ""), "local-lvm:vm-300-disk-1,mp=/data,backup=1,size=2G");
  EXPECT_NE(conf.value("net0", "").find("name=eth0,bridge=vmbr0,hwaddr="), std::string::npos) << conf.dump();
  EXPECT_EQ(CtEntry(*cluster).value("status", ""), "running");
}

TEST_P(CtE2e, MemoryChangesAtOnceWhileOstypeWaitsForARestartUnlessRebootIsAllowed) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_NO_FATAL_FAILURE(DownloadCtTemplate(*cluster));
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneCt("pve-01", "running")));
  Spec hot = LoadVmsOrFail(*cluster, OneCt("pve-01", "running", "    ostype: ubuntu\n", "2048"));
  auto plan = cluster->MakePlan(hot);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << StepsOf(*plan);
  EXPECT_TRUE(plan->steps[0].change.reboot) << "ostype waits for a restart";
  ASSERT_EQ(cluster->RunApply(hot).exit_code, 0);
  nlohmann::json current = CtConfig(*cluster, "pve-01", true);
  EXPECT_EQ(current.value("memory", 0), 2048) << "memory is hot for containers";
  EXPECT_EQ(current.value("ostype", ""), "debian") << "ostype stays pending: " << current.dump();
  plan = cluster->MakePlan(hot);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << "a pending change is not drift: " << StepsOf(*plan);

  std::string allowed_text = OneCt("pve-01", "running", "    ostype: ubuntu\n    reboot: allowed\n", "2048");
  allowed_text.replace(allowed_text.find("features: { nesting: true }"), 27, "features: { nesting: true, keyctl: true }");
  Spec allowed = LoadVmsOrFail(*cluster, allowed_text);
  ApplyConverges(*cluster, allowed);
  current = CtConfig(*cluster, "pve-01", true);
  EXPECT_EQ(current.value("ostype", ""), "ubuntu") << current.dump();
  EXPECT_EQ(current.value("features", ""), "keyctl=1,nesting=1") << current.dump();
  EXPECT_EQ(CtEntry(*cluster).value("status", ""), "running");
}

TEST_P(CtE2e, TheRootVolumeGrowsAndAShrinkIsRefusedAtTheSizeField) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_NO_FATAL_FAILURE(DownloadCtTemplate(*cluster));
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneCt("pve-01", "stopped")));
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneCt("pve-01", "stopped", "", "1024", "12G")));
  EXPECT_EQ(CtConfig(*cluster, "pve-01").value("rootfs", ""), "local-lvm:vm-300-disk-0,size=12G");
  auto plan = cluster->MakePlan(LoadVmsOrFail(*cluster, OneCt("pve-01", "stopped", "", "1024", "10G")));
  ASSERT_TRUE(plan) << plan.error().message;
  bool refused = false;
  for (const Diagnostic& d : plan->diagnostics) {
    refused |= d.field == "rootfs.size" && d.message.find("cannot shrink") != std::string::npos;
  }
  EXPECT_TRUE(refused) << StepsOf(*plan);
}

TEST_P(CtE2e, ARemovedMountPointIsDetachedAndKeptAndUnprivilegedCannotChange) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_NO_FATAL_FAILURE(DownloadCtTemplate(*cluster));
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneCt("pve-01", "stopped", kDataMount)));
  // Written, the list is owned whole: an empty one detaches mp0 (an absent key would leave it unmanaged).
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneCt("pve-01", "stopped", "    mount_points: []\n")));
  nlohmann::json conf = CtConfig(*cluster, "pve-01");
  EXPECT_FALSE(conf.contains("mp0")) << conf.dump();
  EXPECT_EQ(conf.value("unused0", ""), "local-lvm:vm-300-disk-1") << "detached and kept: " << conf.dump();
  std::string privileged = OneCt("pve-01", "stopped");
  privileged.replace(privileged.find("unprivileged: true"), 18, "unprivileged: false");
  auto plan = cluster->MakePlan(LoadVmsOrFail(*cluster, privileged));
  ASSERT_TRUE(plan) << plan.error().message;
  bool refused = false;
  for (const Diagnostic& d : plan->diagnostics) refused |= d.message.find("read-only option: 'unprivileged'") != std::string::npos;
  EXPECT_TRUE(refused) << StepsOf(*plan);
}

TEST_P(CtE2e, ANodeChangeMigratesARunningContainerInRestartMode) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_NO_FATAL_FAILURE(DownloadCtTemplate(*cluster));
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneCt("pve-01", "running")));
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, OneCt("pve-02", "running")));
  nlohmann::json entry = CtEntry(*cluster);
  EXPECT_EQ(entry.value("node", ""), "pve-02");
  EXPECT_EQ(entry.value("status", ""), "running");
}

TEST_P(CtE2e, AContainerHaMovedIsNotDraggedBack) {
  PvesimOptions options = Options();
  options.args = {"--ha-tick", "100"};
  E2E_START_OR_SKIP(cluster, options);
  ASSERT_NO_FATAL_FAILURE(DownloadCtTemplate(*cluster));
  const std::string ha = "    ha: { state: started }\n";
  std::string spec_text = OneCt("pve-01", "present", ha);
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, spec_text));
  ASSERT_TRUE(CtWaitFor([&] { return CtEntry(*cluster).value("status", "") == "running"; }));
  auto moved = cluster->Client().Post("/cluster/ha/resources/ct:300/migrate", {{"node", "pve-03"}});
  ASSERT_EQ(moved.status, 200) << moved.raw;
  ASSERT_TRUE(CtWaitFor([&] {
    nlohmann::json e = CtEntry(*cluster);
    return e.value("node", "") == "pve-03" && e.value("status", "") == "running";
  }));
  auto plan = cluster->MakePlan(LoadVmsOrFail(*cluster, spec_text));
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << "HA's placement is not drift: " << StepsOf(*plan);
}

TEST_P(CtE2e, ExportRoundTripsAContainer) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_NO_FATAL_FAILURE(DownloadCtTemplate(*cluster));
  Spec spec = LoadVmsOrFail(*cluster, OneCt("pve-01", "running", kDataMount));
  ApplyConverges(*cluster, spec);
  auto session = cli::ClusterSession::Open(spec, cluster->Env(), nullptr);
  ASSERT_TRUE(session) << session.error().message;
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  ASSERT_EQ(cli::RunExport(spec, (*session)->kinds(), {}, console), 0) << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("containers:\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  - vmid: 300\n"), std::string::npos) << text;
  auto exported = cluster->Load(text, "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << text;
  auto plan = cluster->MakePlan(*exported);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << StepsOf(*plan) << text;
}

TEST(CtHaE2e, AnHaRuleMixesVmAndCtResources) {
  PvesimOptions options;  // PVE 9: HA rules
  options.args = {"--ha-tick", "100"};
  E2E_START_OR_SKIP(cluster, options);
  ASSERT_NO_FATAL_FAILURE(DownloadCtTemplate(*cluster));
  const std::string spec_text =
      "vms:\n  - { vmid: 100, name: web, node: pve-01, memory: 1024, ha: { state: started } }\n" +
      OneCt("pve-02", "present", "    ha: { state: started }\n") +
      "ha:\n  rules:\n    - { name: apart, type: resource-affinity, affinity: negative, resources: [vm:100, ct:300] }\n";
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, spec_text));
  bool found = false;
  for (const auto& rule : cluster->Client().Get("/cluster/ha/rules").data()) {
    if (rule.value("rule", "") != "apart") continue;
    found = true;
    EXPECT_EQ(rule.value("resources", ""), "ct:300,vm:100") << rule.dump();
  }
  EXPECT_TRUE(found);
  bool ct_managed = false;
  for (const auto& r : cluster->Client().Get("/cluster/ha/resources").data()) ct_managed |= r.value("sid", "") == "ct:300";
  EXPECT_TRUE(ct_managed);
}

// Issue 14's budget (benchmarked with 2,000 VMs + 1,000 containers in tests/bench/bench_vm.cc): one guest list
// for both guest kinds and one config read per declared guest — here on a small generated world.
TEST(CtPlanRequests, OneGuestListForVmsAndContainersAndOneConfigPerGuest) {
  PvesimOptions options;
  options.args = {"--generate", "nodes=3,vms=12,cts=9,ha=0,vlans=0,pools=0"};
  E2E_START_OR_SKIP(cluster, options);
  std::string vms = "vms:\n", cts = "containers:\n";
  int guests = 0;
  for (const auto& e : cluster->Client().Get("/cluster/resources", {{"type", "vm"}}).data()) {
    const std::string entry = "  - { vmid: " + std::to_string(e.value("vmid", 0)) + ", node: " + e.value("node", "") + " }\n";
    if (e.value("type", "") == "qemu") vms += entry;
    else cts += entry;
    ++guests;
  }
  ASSERT_EQ(guests, 21);
  Spec spec = LoadVmsOrFail(*cluster, vms + cts);
  ASSERT_EQ(cluster->Client().Control("DELETE", "/requests").status, 200);
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << StepsOf(*plan);
  int lists = 0, vm_configs = 0, ct_configs = 0, other_guest_requests = 0;
  std::string seen;
  for (const auto& r : cluster->Client().Control("GET", "/requests?limit=1000").data()) {
    const std::string path = r.value("path", "");
    seen += r.value("method", "") + " " + path + "\n";
    const bool guest_path = path.find("/qemu") != std::string::npos || path.find("/lxc") != std::string::npos;
    if (guest_path && !path.ends_with("/config")) ++other_guest_requests;
    if (path == "/cluster/resources" && r.value("params", nlohmann::json::object()).value("type", "") == "vm") ++lists;
    if (path.ends_with("/config") && path.find("/qemu/") != std::string::npos) ++vm_configs;
    if (path.ends_with("/config") && path.find("/lxc/") != std::string::npos) ++ct_configs;
  }
  EXPECT_EQ(lists, 1) << seen;
  EXPECT_EQ(vm_configs, 12) << seen;
  EXPECT_EQ(ct_configs, 9) << seen;
  EXPECT_EQ(other_guest_requests, 0) << seen;  // the other kinds make their own constant reads
}

INSTANTIATE_TEST_SUITE_P(Pve, CtE2e, ::testing::Values(9, 8), [](const auto& p) { return "Pve" + std::to_string(p.param); });

}  // namespace
}  // namespace hainfra::testing
