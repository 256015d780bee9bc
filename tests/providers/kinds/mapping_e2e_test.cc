// pci_mapping/<id> and usb_mapping/<id> end to end against pvesim (schema validation on): create with one
// entry per node, an empty second plan, a node's entry changed in place, removal only with consent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::string MappingSpec(const std::string& gpu_path) {
  return ClusterHead() + R"(
nodes:
  - { name: pve-01, address: 10.10.0.11 }
  - { name: pve-02, address: 10.10.0.12 }
  - { name: pve-03, address: 10.10.0.13 }
mappings:
  pci:
    - id: gpu
      description: the render GPU
      map:
        - { node: pve-01, path: ")" + gpu_path + R"(", id: "10de:1b80", iommu_group: 12 }
        - { node: pve-02, path: "0000:02:00.0", id: "10de:1b80", subsystem_id: "1462:3364" }
  usb:
    - { id: dongle, map: [ { node: pve-03, id: "0403:6001", path: "1-2" } ] }
)";
}

TEST(MappingE2e, CreatesBothBusesThenPlansNothing) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(MappingSpec("0000:01:00.0"));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), UnorderedElementsAre("create pci_mapping/gpu", "create usb_mapping/dongle"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  nlohmann::json gpu = cluster->Client().Get("/cluster/mapping/pci/gpu").data();
  EXPECT_EQ(gpu["map"], nlohmann::json::array({"node=pve-01,path=0000:01:00.0,id=10de:1b80,iommugroup=12",
                                               "node=pve-02,path=0000:02:00.0,id=10de:1b80,subsystem-id=1462:3364"}));
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(MappingE2e, ANodesEntryChangesInPlaceAndRemovalNeedsConsent) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(MappingSpec("0000:01:00.0"));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  auto moved = cluster->Load(MappingSpec("0000:03:00.0"));
  ASSERT_TRUE(moved) << moved.error().message;
  auto plan = cluster->MakePlan(*moved);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update pci_mapping/gpu"));
  ASSERT_EQ(cluster->RunApply(*moved).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*moved).exit_code, 0);

  std::string text = MappingSpec("0000:03:00.0");
  text.replace(text.find("{ id: dongle,"), 13, "{ id: dongle, state: absent,");
  auto absent = cluster->Load(text);
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  ASSERT_EQ(cluster->RunApply(*absent, options).exit_code, 0);
  EXPECT_NE(cluster->Client().Get("/cluster/mapping/usb/dongle").status, 200);
  EXPECT_EQ(cluster->Client().Get("/cluster/mapping/pci/gpu").status, 200);
}

}  // namespace
}  // namespace hainfra::testing
