// Shape tests: for every captured API response in ../shared/pve-fixtures with a counterpart, pvesim's
// answer has the same keys with the same value types.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/sim/shape_compare.h"
#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace pvesim::testing {
namespace {

using hainfra::testing::ApiResult;
using hainfra::testing::PvesimClient;
using hainfra::testing::PvesimOptions;
using hainfra::testing::PvesimProcess;
using json = nlohmann::json;

json Fixture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return Payload(json::parse(ss.str()));
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "  " + s + "\n";
  return out;
}

// One PVE 9 cluster with Ceph, populated with the kinds of objects the captures show.
class PvesimShape : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures")) return;
    PvesimOptions o;
    o.args = {"--ceph"};
    pvesim_ = PvesimProcess::Start(o).release();
    if (!pvesim_->ok()) return;
    client_ = new PvesimClient(*pvesim_);
    PvesimClient& c = *client_;
    auto wait = [&](const ApiResult& r) { if (r.status == 200 && r.data().is_string()) c.WaitTask(r.data()); };
    wait(c.Post("/nodes/pve-01/qemu", {{"vmid", "101"}, {"name", "test1"}, {"memory", "2048"}, {"cores", "1"}, {"sockets", "1"},
                                       {"ostype", "l26"}, {"scsihw", "virtio-scsi-single"}, {"scsi0", "local-lvm:32,iothread=1"},
                                       {"net0", "virtio,bridge=vmbr0,firewall=1"}, {"agent", "1"}}));
    wait(c.Post("/nodes/pve-01/qemu", {{"vmid", "102"}, {"name", "test-qemu-windows"}, {"memory", "10240"}, {"cores", "6"},
                                       {"sockets", "1"}, {"ostype", "win8"}, {"sata0", "local-lvm:100"}, {"ide2", "none,media=cdrom"},
                                       {"balloon", "0"}, {"numa", "0"}, {"onboot", "1"}, {"cpulimit", "4"}, {"agent", "1"},
                                       {"scsihw", "virtio-scsi-pci"}, {"net0", "virtio,bridge=vmbr0"}}));
    wait(c.Post("/nodes/pve-01/qemu/101/status/start"));
    c.Post("/pools", {{"poolid", "pool-1"}});
    c.Put("/pools/pool-1", {{"vms", "101"}});
    c.Post("/cluster/backup", {{"id", "backup-83831498-c631"}, {"storage", "local"}, {"vmid", "100"},
                               {"schedule", "06,18:30"}, {"mode", "snapshot"}, {"notes-template", "guestname"}, {"mailnotification", "always"}});
    c.Post("/cluster/backup", {{"id", "backup-70025700-2302"}, {"storage", "local"}, {"vmid", "100,101,102"},
                               {"schedule", "sat 15:00"}, {"mode", "snapshot"}, {"notes-template", "guestname"}, {"mailnotification", "always"}});
    c.Post("/cluster/sdn/zones", {{"zone", "ans1"}, {"type", "simple"}, {"ipam", "pve"}, {"dhcp", "dnsmasq"}});
    c.Post("/cluster/sdn/zones", {{"zone", "lab"}, {"type", "vlan"}, {"bridge", "vmbr0"}, {"ipam", "pve"}});
    c.Post("/cluster/sdn/vnets", {{"vnet", "lab"}, {"zone", "lab"}, {"tag", "100"}});
    c.Post("/cluster/sdn/vnets", {{"vnet", "test"}, {"zone", "ans1"}, {"isolate-ports", "1"}, {"alias", "test1"}});
    c.Post("/cluster/sdn/vnets/lab/subnets", {{"subnet", "10.10.100.0/24"}, {"type", "subnet"}, {"snat", "1"}});
    wait(c.Put("/cluster/sdn"));
    wait(c.Post("/nodes/pve-01/ceph/pool", {{"name", "test"}}));
    c.Put("/nodes/pve-01/network/vmbr0", {{"type", "bridge"}, {"bridge_ports", "eno1"}, {"bridge_vlan_aware", "1"},
                                          {"cidr", "10.10.0.11/24"}, {"gateway", "10.10.0.1"}, {"autostart", "1"}});
    c.Post("/nodes/pve-01/network", {{"iface", "vmbr0.2"}, {"type", "vlan"}, {"cidr", "192.168.0.10/24"},
                                     {"cidr6", "fd66:5ac3:eeaf::10/64"}, {"autostart", "1"}, {"comments", "comment"}});
    wait(c.Put("/nodes/pve-01/network"));
  }
  static void TearDownTestSuite() {
    delete client_;
    delete pvesim_;
    client_ = nullptr;
    pvesim_ = nullptr;
  }
  void SetUp() override {
    if (!std::filesystem::exists(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures"))
      GTEST_SKIP() << "the captures are not available at " << HAINFRA_SHARED_DIR << "/pve-fixtures";
    if (pvesim_ && pvesim_->skipped()) GTEST_SKIP() << pvesim_->error();
    ASSERT_TRUE(pvesim_ && pvesim_->ok()) << (pvesim_ ? pvesim_->error() : "");
  }

  // GET `path` and compare with the capture.
  void Expect(const std::string& fixture, const std::string& path, const std::string& group_key = "",
              const std::set<std::string>& may_lack = {}, int depth = 1) {
    ApiResult r = client_->Get(path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.raw;
    auto diff = ShapeDiff(Fixture(fixture), r.data(), depth, group_key, may_lack);
    EXPECT_TRUE(diff.empty()) << fixture << " vs GET " << path << ":\n" << Join(diff) << r.raw.substr(0, 2000);
  }

  static PvesimProcess* pvesim_;
  static PvesimClient* client_;
};

PvesimProcess* PvesimShape::pvesim_ = nullptr;
PvesimClient* PvesimShape::client_ = nullptr;

TEST_F(PvesimShape, Version) { Expect("api-version-pve8.4.json", "/version"); }
TEST_F(PvesimShape, NodeVersion) { Expect("api-nodes-node-version.json", "/nodes/pve-02/version"); }
TEST_F(PvesimShape, Nodes) { Expect("api-nodes.json", "/nodes"); }
TEST_F(PvesimShape, NodesOfACephCluster) { Expect("api-nodes-3node-ceph-cluster.json", "/nodes", "", {"id", "type"}); }
// PVE 7's status has keys later releases dropped (idle, wait are still there; kversion and ksm too).
TEST_F(PvesimShape, NodeStatus) { Expect("api-nodes-node-status.json", "/nodes/pve-01/status"); }
TEST_F(PvesimShape, ClusterStatus) { Expect("api-cluster-status.json", "/cluster/status", "type"); }
TEST_F(PvesimShape, ClusterStatusThreeNodes) { Expect("api-cluster-status-3node.json", "/cluster/status", "type"); }
TEST_F(PvesimShape, ClusterResources) {
  // Stopped guests have no uptime-dependent counters missing: every key of the capture is there.
  Expect("api-cluster-resources.json", "/cluster/resources", "type", {"tags"});
}
TEST_F(PvesimShape, ClusterJoinInfo) { Expect("api-cluster-config-join.json", "/cluster/config/join", "", {}, 2); }
TEST_F(PvesimShape, BackupJobs) { Expect("api-cluster-backup.json", "/cluster/backup"); }
TEST_F(PvesimShape, SdnZones) { Expect("api-cluster-sdn-zones.json", "/cluster/sdn/zones", "type", {"dhcp", "bridge"}); }
TEST_F(PvesimShape, SdnVnets) { Expect("api-cluster-sdn-vnets.json", "/cluster/sdn/vnets", "", {"tag", "isolate-ports", "alias"}); }
TEST_F(PvesimShape, SdnSubnets) { Expect("api-cluster-sdn-vnets-vnet-subnets.json", "/cluster/sdn/vnets/lab/subnets"); }
TEST_F(PvesimShape, CephPools) { Expect("api-nodes-node-ceph-pool.json", "/nodes/pve-01/ceph/pool", "", {"rbd"}, 2); }
TEST_F(PvesimShape, CephPoolStatus) { Expect("api-nodes-node-ceph-pool-name-status.json", "/nodes/pve-01/ceph/pool/test/status"); }
TEST_F(PvesimShape, CephClusterStatus) { Expect("api-cluster-ceph-status.json", "/cluster/ceph/status", "", {"fsmap", "mgrmap"}, 0); }
TEST_F(PvesimShape, NodeNetwork) {
  Expect("api-nodes-node-network.json", "/nodes/pve-01/network", "type", {"active", "exists", "gateway", "address", "cidr", "netmask", "autostart", "bridge_fd", "bridge_stp"});
}
TEST_F(PvesimShape, NodeNetworkWithVlans) {
  Expect("api-nodes-node-network-vlan.json", "/nodes/pve-01/network", "type",
         {"mtu", "bridge_fd", "bridge_stp", "exists", "method6", "cidr6", "address6", "netmask6", "comments"});
}
TEST_F(PvesimShape, GuestList) { Expect("api-nodes-node-qemu.json", "/nodes/pve-01/qemu", "", {"pid"}); }
TEST_F(PvesimShape, GuestConfigs) {
  // `memory` became a property string ("[current=]<MiB>") in PVE 8, so PVE 8.4 and 9.1 answer a JSON string
  // where these older captures have a number: compare everything else.
  for (auto [fixture, vmid] : {std::pair{"api-nodes-node-qemu-vmid-config-101.json", "101"},
                               std::pair{"api-nodes-node-qemu-vmid-config-102.json", "102"}}) {
    json expected = Fixture(fixture);
    expected.erase("memory");
    ApiResult r = client_->Get(std::string("/nodes/pve-01/qemu/") + vmid + "/config");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.data()["memory"].is_string());
    auto diff = ShapeDiff(expected, r.data(), 1, "", {"bootdisk"});
    EXPECT_TRUE(diff.empty()) << fixture << ":\n" << Join(diff) << r.raw;
  }
}
TEST_F(PvesimShape, GuestStatusOfARunningGuest) {
  Expect("api-nodes-node-qemu-vmid-status-current.json", "/nodes/pve-01/qemu/101/status/current", "",
         {"shares", "spice", "balloon_min", "ide2", "tap1001i0"});
}
TEST_F(PvesimShape, TaskListsAndStatus) {
  Expect("api-nodes-node-tasks-pve8.json", "/nodes/pve-01/tasks", "", {"pid", "pstart", "saved"});
  ApiResult list = client_->Get("/nodes/pve-01/tasks");
  ASSERT_FALSE(list.data().empty());
  std::string upid = list.data()[0]["upid"];
  auto diff = ShapeDiff(Fixture("api-nodes-node-tasks-upid-status-ok.json"), client_->Get("/nodes/pve-01/tasks/" + upid + "/status").data());
  EXPECT_TRUE(diff.empty()) << Join(diff);
}

// The PVE 8 capture of /cluster/resources (pool and sdn entries).
TEST(PvesimShapePve8, ClusterResourcesWithPoolsAndSdn) {
  if (!std::filesystem::exists(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures")) GTEST_SKIP() << "no captures";
  PvesimOptions o;
  o.pve = 8;
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim);
  c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}, {"scsi0", "local-lvm:32"}, {"memory", "2048"}}).data());
  c.WaitTask(c.Post("/nodes/pve-01/qemu/100/status/start").data());
  c.Post("/pools", {{"poolid", "pool-1"}});
  ApiResult r = c.Get("/cluster/resources");
  ASSERT_EQ(r.status, 200);
  auto diff = ShapeDiff(Fixture("api-cluster-resources-pve8.json"), r.data(), 1, "type", {"tags", "pool"});
  EXPECT_TRUE(diff.empty()) << Join(diff) << r.raw;
}

}  // namespace
}  // namespace pvesim::testing
