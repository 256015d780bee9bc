// pvesim as a process: HA node maintenance through ha/crm_commands (what `ha-manager crm-command` queues),
// node reboots that boot the newest installed kernel, and Ceph's OSD in/out states, flags and health.
#include <gtest/gtest.h>

#include <thread>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

template <typename Pred>
bool WithinTenSeconds(Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

PvesimOptions FastHa() {
  PvesimOptions o;
  o.args = {"--ha-tick", "100", "--ceph"};
  return o;
}

json GuestEntry(PvesimClient& c, int vmid) {
  for (const auto& r : c.Get("/cluster/resources", {{"type", "vm"}}).data())
    if (r["vmid"] == vmid) return r;
  return nullptr;
}

std::string LrmStatus(PvesimClient& c, const std::string& node) {
  for (const auto& e : c.Get("/cluster/ha/status/current").data())
    if (e["type"] == "lrm" && e["node"] == node) return e["status"];
  return "";
}

void QueueCrmCommand(PvesimClient& c, const std::string& line) {
  auto queued = c.Control("GET", "/files/ha/crm_commands");
  std::string old = queued.status == 200 && queued.data().is_object() ? queued.data().value("content", "") : "";
  ASSERT_EQ(c.Control("PUT", "/files/ha/crm_commands", {{"content", old + line + "\n"}}).status, 200);
}

TEST(PvesimMaintenance, TheCrmMovesHaGuestsOffANodeInMaintenanceAndBackAfterwards) {
  PVESIM_START_OR_SKIP(pvesim, FastHa());
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.WaitTask(c.Post("/nodes/pve-02/qemu", {{"vmid", "100"}}).data()), "OK");
  ASSERT_EQ(c.Post("/cluster/ha/resources", {{"sid", "vm:100"}}).status, 200);
  ASSERT_TRUE(WithinTenSeconds([&] { return GuestEntry(c, 100)["status"] == "running"; }));

  QueueCrmCommand(c, "enable-node-maintenance pve-02");
  EXPECT_TRUE(WithinTenSeconds([&] { return LrmStatus(c, "pve-02").find("maintenance mode") != std::string::npos; }));
  EXPECT_TRUE(WithinTenSeconds([&] {
    json g = GuestEntry(c, 100);
    return g["node"] != "pve-02" && g["status"] == "running";
  })) << GuestEntry(c, 100).dump();
  json manager = c.Get("/cluster/ha/status/manager_status").data()["manager_status"];
  EXPECT_EQ(manager["node_status"]["pve-02"], "maintenance");
  EXPECT_EQ(manager["node_request"]["pve-02"]["maintenance"], 1);
  EXPECT_EQ(manager["service_status"]["vm:100"]["maintenance_node"], "pve-02");

  QueueCrmCommand(c, "disable-node-maintenance pve-02");
  EXPECT_TRUE(WithinTenSeconds([&] { return LrmStatus(c, "pve-02").find("maintenance") == std::string::npos; }));
  EXPECT_TRUE(WithinTenSeconds([&] {
    json g = GuestEntry(c, 100);
    return g["node"] == "pve-02" && g["status"] == "running";
  })) << "the guest returns to the node it left for maintenance: " << GuestEntry(c, 100).dump();
}

TEST(PvesimMaintenance, ARebootedNodeRunsTheNewestInstalledKernel) {
  PVESIM_START_OR_SKIP(pvesim, FastHa());
  PvesimClient c(*pvesim);
  auto running = [&] {
    for (const auto& p : c.Get("/nodes/pve-03/apt/versions").data())
      if (p.contains("RunningKernel")) return p["RunningKernel"].get<std::string>();
    return std::string();
  };
  const std::string before = running();
  ASSERT_FALSE(before.empty());
  ASSERT_EQ(c.Control("PUT", "/nodes/pve-03/packages/proxmox-kernel-6.17.9-1-pve-signed", {{"version", "6.17.9-1"}}).status, 200);
  EXPECT_EQ(running(), before) << "installing a kernel does not change the running one";

  ASSERT_EQ(c.Post("/nodes/pve-03/status", {{"command", "reboot"}}).status, 200);
  EXPECT_TRUE(WithinTenSeconds([&] {
    for (const auto& n : c.Get("/nodes").data())
      if (n["node"] == "pve-03") return n["status"] == "offline";
    return false;
  }));
  EXPECT_TRUE(WithinTenSeconds([&] { return running() == "6.17.9-1-pve"; }));
  EXPECT_EQ(c.Get("/nodes/pve-03/status").data()["current-kernel"]["release"], "6.17.9-1-pve");
}

TEST(PvesimMaintenance, AnOsdMarkedOutAndTheNooutFlagShowInCephsHealth) {
  PVESIM_START_OR_SKIP(pvesim, FastHa());
  PvesimClient c(*pvesim);
  EXPECT_EQ(c.Get("/cluster/ceph/status").data()["health"]["status"], "HEALTH_OK");
  ASSERT_EQ(c.Post("/nodes/pve-01/ceph/osd/1/out").status, 200);
  json status = c.Get("/cluster/ceph/status").data();
  EXPECT_EQ(status["health"]["status"], "HEALTH_WARN");
  EXPECT_EQ(status["osdmap"]["num_in_osds"], status["osdmap"]["num_osds"].get<int>() - 1);
  EXPECT_TRUE(status["health"]["checks"].contains("PG_DEGRADED")) << status["health"].dump();
  int in = 0;
  const json tree = c.Get("/nodes/pve-01/ceph/osd").data();
  for (const auto& host : tree["root"]["children"])
    for (const auto& osd : host["children"]) in += osd["in"].get<int>();
  EXPECT_EQ(in, status["osdmap"]["num_osds"].get<int>() - 1);

  ASSERT_EQ(c.Post("/nodes/pve-01/ceph/osd/1/in").status, 200);
  ASSERT_EQ(c.WaitTask(c.Put("/cluster/ceph/flags", {{"noout", "1"}}).data()), "OK");
  status = c.Get("/cluster/ceph/status").data();
  EXPECT_EQ(status["health"]["checks"]["OSDMAP_FLAGS"]["summary"]["message"], "noout flag(s) set");
  EXPECT_EQ(c.Get("/nodes/pve-01/ceph/osd").data()["flags"], "noout");
}

}  // namespace
}  // namespace hainfra::testing
