// pvesim loses a node whose management address leaves its applied network configuration: requests the
// entry node forwards to it fail with 595, as pveproxy's forward to the old address would.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

std::string ApplyNetwork(PvesimClient& c, const std::string& node) {
  ApiResult apply = c.Put("/nodes/" + node + "/network");
  if (apply.status != 200) return "HTTP " + std::to_string(apply.status);
  return c.WaitTask(apply.data().get<std::string>());
}

TEST(PvesimManagementAccess, ANodeWhoseManagementAddressMovesIsNoLongerReachable) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Put("/nodes/pve-02/network/vmbr0", {{"type", "bridge"}, {"cidr", "10.10.0.52/24"}}).status, 200);
  // Staged only: the node still answers on its old address.
  EXPECT_EQ(c.Get("/nodes/pve-02/status").status, 200);
  // The reload is accepted; once it runs, the node is gone (its task status can no longer be read either).
  ASSERT_EQ(c.Put("/nodes/pve-02/network").status, 200);
  int status = 200;
  for (int i = 0; i < 100 && status != 595; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = c.Get("/nodes/pve-02/status").status;
  }
  EXPECT_EQ(status, 595);
  EXPECT_EQ(c.Get("/nodes/pve-02/network").status, 595);  // nothing can be restored through the API
  EXPECT_EQ(c.Get("/nodes/pve-03/status").status, 200);   // the other nodes are unaffected
}

TEST(PvesimManagementAccess, OtherAddressChangesKeepTheNodeReachable) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Post("/nodes/pve-02/network", {{"iface", "vmbr0.30"}, {"type", "vlan"}, {"cidr", "10.30.0.12/24"}})
                .status,
            200);
  EXPECT_EQ(ApplyNetwork(c, "pve-02"), "OK");
  EXPECT_EQ(c.Get("/nodes/pve-02/status").status, 200);
}

}  // namespace
}  // namespace hainfra::testing
