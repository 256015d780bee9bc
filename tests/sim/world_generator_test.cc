// The benchmark world of issue 7: its guests must be a cluster Proxmox could have (no two NICs share a MAC),
// or a spec exported from it cannot load.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sim/pvesim/options.h"
#include "sim/pvesim/world.h"

namespace pvesim {
namespace {

TEST(WorldGenerator, GivesEveryGuestItsOwnMac) {
  auto world = GenerateWorld("nodes=16,vms=2000,ha=200,vlans=40,pools=8", Options{});
  ASSERT_TRUE(world.has_value()) << world.error().message;
  std::set<std::string> macs;
  for (const auto& vm : world->vms) {
    std::string net0;
    for (const auto& [key, value] : vm.config) {
      if (key == "net0") net0 = value;
    }
    const size_t eq = net0.find('=');
    ASSERT_NE(eq, std::string::npos) << net0;
    EXPECT_TRUE(macs.insert(net0.substr(eq + 1, 17)).second) << "vm " << vm.vmid << " reuses " << net0;
  }
  EXPECT_EQ(macs.size(), 2000u);
}

}  // namespace
}  // namespace pvesim
