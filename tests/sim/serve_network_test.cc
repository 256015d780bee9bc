// pvesim as a process: node network changes are staged, shown as a diff, applied or reverted; SDN changes
// are pending until PUT /cluster/sdn, and on PVE 9 guarded by the global lock.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

json Iface(PvesimClient& c, const std::string& node, const std::string& name) {
  for (const auto& i : c.Get("/nodes/" + node + "/network").data())
    if (i["iface"] == name) return i;
  return nullptr;
}

TEST(PvesimNetwork, InstallerLeavesVmbr0OnTheFirstNic) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  json vmbr0 = Iface(c, "pve-02", "vmbr0");
  EXPECT_EQ(vmbr0["type"], "bridge");
  EXPECT_EQ(vmbr0["bridge_ports"], "eno1");
  EXPECT_EQ(vmbr0["cidr"], "10.10.0.12/24");
  EXPECT_EQ(vmbr0["gateway"], "10.10.0.1");
  EXPECT_EQ(vmbr0["active"], 1);
  EXPECT_EQ(Iface(c, "pve-02", "eno2")["type"], "eth");
}

TEST(PvesimNetwork, ChangesAreStagedUntilAppliedAndCanBeReverted) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Post("/nodes/pve-01/network", {{"iface", "vmbr0.30"}, {"type", "vlan"}, {"cidr", "10.30.0.11/24"},
                                             {"autostart", "1"}}).status, 200);
  ApiResult list = c.Get("/nodes/pve-01/network");
  ASSERT_TRUE(list.body.contains("changes"));
  std::string diff = list.body["changes"];
  EXPECT_NE(diff.find("+++ /etc/network/interfaces.new"), std::string::npos) << diff;
  EXPECT_NE(diff.find("+auto vmbr0.30"), std::string::npos) << diff;
  json vlan = Iface(c, "pve-01", "vmbr0.30");
  EXPECT_EQ(vlan["vlan-raw-device"], "vmbr0");
  EXPECT_EQ(vlan["vlan-id"], "30");
  EXPECT_FALSE(vlan.contains("active"));  // staged, not up
  // Revert drops the staged file.
  ASSERT_EQ(c.Delete("/nodes/pve-01/network").status, 200);
  EXPECT_TRUE(Iface(c, "pve-01", "vmbr0.30").is_null());
  EXPECT_FALSE(c.Get("/nodes/pve-01/network").body.contains("changes"));
  // Stage again and apply: a srvreload task on the node moves interfaces.new into place.
  ASSERT_EQ(c.Post("/nodes/pve-01/network", {{"iface", "vmbr0.30"}, {"type", "vlan"}, {"cidr", "10.30.0.11/24"},
                                             {"autostart", "1"}}).status, 200);
  ApiResult apply = c.Put("/nodes/pve-01/network");
  ASSERT_EQ(apply.status, 200);
  std::string upid = apply.data();
  EXPECT_NE(upid.find(":srvreload:networking:"), std::string::npos);
  EXPECT_EQ(c.WaitTask(upid), "OK");
  EXPECT_FALSE(c.Get("/nodes/pve-01/network").body.contains("changes"));
  EXPECT_EQ(Iface(c, "pve-01", "vmbr0.30")["active"], 1);
}

TEST(PvesimNetwork, ProxmoxChecksAreApplied) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ApiResult dup = c.Post("/nodes/pve-01/network", {{"iface", "vmbr0"}, {"type", "bridge"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(dup.errors()["iface"], "interface already exists");
  ApiResult gw = c.Post("/nodes/pve-01/network", {{"iface", "vmbr1"}, {"type", "bridge"}, {"cidr", "10.1.0.1/24"}, {"gateway", "10.1.0.254"}});
  EXPECT_EQ(gw.errors()["gateway"], "Default gateway already exists on interface 'vmbr0'.");
  ApiResult port = c.Post("/nodes/pve-01/network", {{"iface", "vmbr1"}, {"type", "bridge"}, {"bridge_ports", "eno1"}});
  EXPECT_EQ(port.errors()["bridge_ports"], "eno1 is already used on interface 'vmbr0'.");
  ApiResult missing = c.Put("/nodes/pve-01/network/vmbr7", {{"type", "bridge"}});
  EXPECT_EQ(missing.errors()["iface"], "interface does not exist");
  // As ifupdown2's writer in pve-common: a bridge's ports must exist.
  ApiResult ghost = c.Post("/nodes/pve-01/network", {{"iface", "vmbr2"}, {"type", "bridge"}, {"bridge_ports", "bond9"}});
  EXPECT_NE(ghost.status, 200);
  EXPECT_NE(ghost.body.dump().find("unable to find bridge port 'bond9'"), std::string::npos) << ghost.body.dump();
}

TEST(PvesimSdn, ObjectsArePendingUntilApplied) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Post("/cluster/sdn/zones", {{"zone", "prod"}, {"type", "vlan"}, {"bridge", "vmbr0"}}).status, 200);
  ASSERT_EQ(c.Post("/cluster/sdn/vnets", {{"vnet", "research"}, {"zone", "prod"}, {"tag", "20"}}).status, 200);
  json pending = c.Get("/cluster/sdn/vnets", {{"pending", "1"}}).data();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["state"], "new");
  EXPECT_EQ(pending[0]["pending"]["tag"], 20);
  EXPECT_TRUE(c.Get("/cluster/sdn/vnets", {{"running", "1"}}).data().empty());
  ApiResult dup = c.Post("/cluster/sdn/vnets", {{"vnet", "other"}, {"zone", "prod"}, {"tag", "20"}});
  EXPECT_EQ(dup.errors()["tag"], "tag 20 already exist in vnet research");
  EXPECT_EQ(c.Post("/cluster/sdn/vnets", {{"vnet", "notag"}, {"zone", "prod"}}).errors()["tag"], "missing vlan tag");
  std::string upid = c.Put("/cluster/sdn").data();
  EXPECT_NE(upid.find(":reloadnetworkall::"), std::string::npos);
  EXPECT_EQ(c.WaitTask(upid), "OK");
  json running = c.Get("/cluster/sdn/vnets", {{"running", "1"}}).data();
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0]["tag"], 20);
  EXPECT_FALSE(c.Get("/cluster/sdn/vnets", {{"pending", "1"}}).data()[0].contains("state"));
}

TEST(PvesimSdn, Pve9LockTokenGuardsEveryChange) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ApiResult lock = c.Post("/cluster/sdn/lock");
  ASSERT_EQ(lock.status, 200) << lock.raw;
  std::string token = lock.data();
  ApiResult without = c.Post("/cluster/sdn/zones", {{"zone", "prod"}, {"type", "simple"}});
  EXPECT_EQ(without.status, 500);
  EXPECT_EQ(without.message().rfind("create sdn zone object failed: invalid lock token provided!", 0), 0u) << without.message();
  ASSERT_EQ(c.Post("/cluster/sdn/zones", {{"zone", "prod"}, {"type", "simple"}, {"lock-token", token}}).status, 200);
  EXPECT_EQ(c.Post("/cluster/sdn/lock").status, 500);  // already held
  ASSERT_EQ(c.WaitTask(c.Put("/cluster/sdn", {{"lock-token", token}}).data()), "OK");
  // release-lock defaults to 1: the lock is gone after the apply.
  EXPECT_EQ(c.Post("/cluster/sdn/zones", {{"zone", "dev"}, {"type", "simple"}}).status, 200);
  // A pending change blocks a new lock unless allowed; rollback restores the running config.
  EXPECT_EQ(c.Post("/cluster/sdn/lock").message().find("configuration has pending changes") != std::string::npos, true);
  std::string token2 = c.Post("/cluster/sdn/lock", {{"allow-pending", "1"}}).data();
  ASSERT_EQ(c.Post("/cluster/sdn/rollback", {{"lock-token", token2}}).status, 200);
  json zones = c.Get("/cluster/sdn/zones").data();
  ASSERT_EQ(zones.size(), 1u);
  EXPECT_EQ(zones[0]["zone"], "prod");
}

TEST(PvesimSdn, Pve8HasNoLock) {
  PvesimOptions o;
  o.pve = 8;
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim);
  EXPECT_EQ(c.Post("/cluster/sdn/lock").status, 501);
  ApiResult token = c.Put("/cluster/sdn", {{"lock-token", "x"}});
  EXPECT_EQ(token.status, 400);
  EXPECT_TRUE(token.errors().contains("lock-token"));
  EXPECT_EQ(c.WaitTask(c.Put("/cluster/sdn").data()), "OK");
}

}  // namespace
}  // namespace hainfra::testing
