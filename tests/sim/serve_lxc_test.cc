// pvesim's container API: a pvesim world holds no containers, and every node answers as a Proxmox node without
// containers does — what a client that lists the whole cluster (qemu and lxc of every node) walks through.
#include <gtest/gtest.h>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

TEST(PvesimLxc, EveryNodeListsNoContainers) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  for (const char* node : {"pve-01", "pve-02", "pve-03"}) {
    auto list = c.Get(std::string("/nodes/") + node + "/lxc");
    ASSERT_EQ(list.status, 200) << list.raw;
    EXPECT_EQ(list.data(), nlohmann::json::array()) << node;
  }
}

TEST(PvesimLxc, AContainerThatIsNotThereIsTheMissingConfigFileError) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  for (const char* sub : {"", "/config", "/pending", "/status/current"}) {
    auto answer = c.Get(std::string("/nodes/pve-02/lxc/105") + sub);
    EXPECT_EQ(answer.status, 500) << sub << ": " << answer.raw;
    EXPECT_NE(answer.raw.find("Configuration file 'nodes/pve-02/lxc/105.conf' does not exist"), std::string::npos)
        << sub << ": " << answer.raw;
  }
}

}  // namespace
}  // namespace hainfra::testing
