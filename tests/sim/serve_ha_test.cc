// pvesim as a process: HA resources, groups (PVE 8) and rules (PVE 9), the CRM's actions and status.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

// Polls `pred` for up to 10 s.
template <typename Pred>
bool Eventually(Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

json ClusterResource(PvesimClient& c, int vmid) {
  for (const auto& r : c.Get("/cluster/resources", {{"type", "vm"}}).data())
    if (r["vmid"] == vmid) return r;
  return nullptr;
}

TEST(PvesimHa, StartedResourceIsStartedByTheCrmAndApiStartBecomesARequest) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}}).data()), "OK");
  ASSERT_EQ(c.Post("/cluster/ha/resources", {{"sid", "vm:100"}, {"state", "started"}}).status, 200);
  EXPECT_TRUE(Eventually([&] { return ClusterResource(c, 100)["status"] == "running"; }));
  EXPECT_EQ(ClusterResource(c, 100)["hastate"], "started");
  // Stopping an HA-managed guest through the API only requests it (task hastop).
  std::string upid = c.Post("/nodes/pve-01/qemu/100/status/stop").data();
  EXPECT_NE(upid.find(":hastop:100:"), std::string::npos);
  EXPECT_EQ(c.WaitTask(upid), "OK");
  EXPECT_EQ(c.Get("/cluster/ha/resources/vm:100").data()["state"], "stopped");
  EXPECT_TRUE(Eventually([&] { return ClusterResource(c, 100)["status"] == "stopped"; }));
  json status = c.Get("/cluster/ha/status/current").data();
  bool found = false;
  for (const auto& e : status) {
    if (e["type"] == "service") {
      found = true;
      EXPECT_EQ(e["sid"], "vm:100");
      EXPECT_EQ(e["request_state"], "stopped");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(status[0]["id"], "quorum");
}

TEST(PvesimHa, NodeFailureRecoversGuestsOnAnotherNode) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-02/qemu", {{"vmid", "100"}, {"scsi0", "local-lvm:4"}}).data()), "OK");
  ASSERT_EQ(c.Post("/cluster/ha/resources", {{"sid", "100"}}).status, 200);  // a bare VMID is accepted
  ASSERT_TRUE(Eventually([&] { return ClusterResource(c, 100)["status"] == "running"; }));
  ASSERT_EQ(c.Control("POST", "/nodes/pve-02/offline").status, 200);
  EXPECT_TRUE(Eventually([&] {
    json r = ClusterResource(c, 100);
    return r["node"] != "pve-02" && r["status"] == "running";
  }));
}

TEST(PvesimHa, MigrateRequestMovesTheGuest) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}}).data()), "OK");
  ASSERT_EQ(c.Post("/cluster/ha/resources", {{"sid", "vm:100"}}).status, 200);
  ASSERT_TRUE(Eventually([&] { return ClusterResource(c, 100)["status"] == "running"; }));
  ApiResult m = c.Post("/cluster/ha/resources/vm:100/migrate", {{"node", "pve-03"}});
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.data()["requested-node"], "pve-03");
  EXPECT_TRUE(Eventually([&] { return ClusterResource(c, 100)["node"] == "pve-03"; }));
}

TEST(PvesimHa, Pve9RulesAndTheirFeasibility) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  for (const char* id : {"100", "101"}) ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", id}}).data()), "OK");
  ASSERT_EQ(c.Post("/cluster/ha/resources", {{"sid", "vm:100"}}).status, 200);
  ApiResult unmanaged = c.Post("/cluster/ha/rules", {{"rule", "r1"}, {"type", "node-affinity"}, {"nodes", "pve-01"}, {"resources", "vm:101"}});
  EXPECT_EQ(unmanaged.message(), "create ha rule failed: cannot use unmanaged resource(s) vm:101.\n");
  ASSERT_EQ(c.Post("/cluster/ha/rules", {{"rule", "r1"}, {"type", "node-affinity"}, {"nodes", "pve-02:2,pve-01"}, {"resources", "vm:100"}}).status, 200);
  ApiResult one = c.Post("/cluster/ha/rules", {{"rule", "apart"}, {"type", "resource-affinity"}, {"affinity", "negative"}, {"resources", "vm:100"}});
  EXPECT_EQ(one.status, 400);
  EXPECT_EQ(one.errors()["resources"], "rule is ineffective as there are less than two resources");
  json rule = c.Get("/cluster/ha/rules/r1").data();
  EXPECT_EQ(rule["nodes"], "pve-01,pve-02:2");
  EXPECT_EQ(rule["order"], 1);
  // The guest goes to its preferred node.
  EXPECT_TRUE(Eventually([&] { return ClusterResource(c, 100)["node"] == "pve-02"; }));
  // Groups do not exist on PVE 9 once migrated (none configured: nothing to migrate).
  EXPECT_EQ(c.Get("/cluster/ha/groups").message(), "cannot index groups: ha groups have been migrated to rules\n");
}

TEST(PvesimHa, Pve8UsesGroups) {
  PvesimOptions o;
  o.pve = 8;
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim);
  EXPECT_EQ(c.Get("/cluster/ha/rules").status, 501);
  ASSERT_EQ(c.Post("/cluster/ha/groups", {{"group", "prefer2"}, {"nodes", "pve-02:2,pve-01:1"}, {"restricted", "1"}}).status, 200);
  json g = c.Get("/cluster/ha/groups/prefer2").data();
  EXPECT_EQ(g["nodes"], "pve-02:2,pve-01:1");
  EXPECT_EQ(g["restricted"], 1);
  EXPECT_EQ(g["type"], "group");
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-01/qemu", {{"vmid", "100"}}).data()), "OK");
  ASSERT_EQ(c.Post("/cluster/ha/resources", {{"sid", "vm:100"}, {"group", "prefer2"}}).status, 200);
  EXPECT_TRUE(Eventually([&] { return ClusterResource(c, 100)["node"] == "pve-02"; }));
  EXPECT_EQ(c.Delete("/cluster/ha/groups/prefer2").message(), "delete ha group failed: ha group is used by service 'vm:100'\n");
}

TEST(PvesimHa, Pve9MigratesGroupsFromAnOlderWorldToRules) {
  std::string world = ::testing::TempDir() + "/pvesim-ha-world.json";
  {
    nlohmann::json w = {{"pve", 9},
                        {"vms", {{{"vmid", 100}, {"node", "pve-01"}, {"config", {{"name", "a"}}}}}},
                        {"files", {{"ha/groups.cfg", "group: mygroup\n\tnodes pve-02:2,pve-03\n\tnofailback 1\n\trestricted 1\n\n"},
                                   {"ha/resources.cfg", "vm: 100\n\tgroup mygroup\n\tstate started\n\n"}}}};
    std::ofstream(world) << w.dump();
  }
  PvesimOptions o;
  o.args = {"--world", world};
  PVESIM_START_OR_SKIP(pvesim, o);
  PvesimClient c(*pvesim);
  EXPECT_TRUE(Eventually([&] { return c.Get("/cluster/ha/rules/ha-group-mygroup").status == 200; }));
  json rule = c.Get("/cluster/ha/rules/ha-group-mygroup").data();
  EXPECT_EQ(rule["type"], "node-affinity");
  EXPECT_EQ(rule["resources"], "vm:100");
  EXPECT_EQ(rule["strict"], 1);
  EXPECT_EQ(rule["comment"], "Generated from HA group 'mygroup'.");
  json res = c.Get("/cluster/ha/resources/vm:100").data();
  EXPECT_FALSE(res.contains("group"));
  EXPECT_EQ(res["failback"], 0);
  EXPECT_EQ(c.Post("/cluster/ha/resources", {{"sid", "vm:101"}, {"group", "mygroup"}}).message(),
            "invalid parameter 'group': ha groups have been migrated to rules\n");
}

}  // namespace
}  // namespace hainfra::testing
