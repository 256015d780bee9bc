// pool/<id> end to end against pvesim (schema validation on): pools with guests and storages, nested pools,
// an empty second plan, a member list owned whole, a guest moved from a pool the spec does not name, drift
// made through the API, deletion only with `state: absent` and consent, and the export's round trip.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cluster_session.h"
#include "cli/export_command.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

PvesimOptions PoolWorld(const TempDir& dir) {
  PvesimOptions options;
  options.args = WorldArgs(dir, GuestWorld(9, {100, 101, 900, 901}));
  return options;
}

#define POOL_START_OR_SKIP(var)  \
  TempDir var##_dir("pool-e2e"); \
  E2E_START_OR_SKIP(var, PoolWorld(var##_dir))

std::string PoolSpec(const std::string& pools) {
  return ClusterHead() + GuestYaml({100, 101, 900, 901}) + R"(
storage:
  - { id: local, type: dir, path: /var/lib/vz, content: [iso, vztmpl, backup, import] }
pools:
)" + pools;
}

const char* kPoolE2eSpec = R"(  - { id: research, comment: the research group, vms: [100, 101], storage: [local] }
  - { id: research/students, vms: [900] }
)";

// The members of one pool as "qemu/100", "storage/local".
std::vector<std::string> PoolMembers(const E2eCluster& cluster, const std::string& id) {
  std::vector<std::string> out;
  nlohmann::json answer = cluster.Client().Get("/pools", {{"poolid", id}}).data();
  if (!answer.is_array() || answer.empty()) return out;
  for (const auto& m : answer[0].value("members", nlohmann::json::array())) {
    out.push_back(m.value("type", "") == "storage" ? "storage/" + m.value("storage", "")
                                                    : m.value("type", "") + "/" + std::to_string(m.value("vmid", 0)));
  }
  return out;
}

TEST(PoolE2e, CreatesPoolsWithMembersThenPlansNothing) {
  POOL_START_OR_SKIP(cluster);
  auto spec = cluster->Load(PoolSpec(kPoolE2eSpec));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("create pool/research", "create pool/research/students"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(PoolMembers(*cluster, "research"), UnorderedElementsAre("qemu/100", "qemu/101", "storage/local"));
  EXPECT_THAT(PoolMembers(*cluster, "research/students"), ElementsAre("qemu/900"));
  EXPECT_EQ(cluster->Client().Get("/pools", {{"poolid", "research"}}).data()[0].value("comment", ""),
            "the research group");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(PoolE2e, AWrittenMemberListIsOwnedWholeAndOtherPoolsAreLeftAlone) {
  POOL_START_OR_SKIP(cluster);
  ASSERT_EQ(cluster->Client().Post("/pools", {{"poolid", "ops"}}).status, 200);
  ASSERT_EQ(cluster->Client().Put("/pools", {{"poolid", "ops"}, {"vms", "901"}}).status, 200);
  auto spec = cluster->Load(PoolSpec(kPoolE2eSpec));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  // 101 leaves research (the list is owned whole); the storages stay, as the spec still writes them.
  auto fewer = cluster->Load(PoolSpec(R"(  - { id: research, comment: the research group, vms: [100], storage: [local] }
  - { id: research/students, vms: [900] }
)"));
  ASSERT_TRUE(fewer) << fewer.error().message;
  auto plan = cluster->MakePlan(*fewer);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update pool/research"));
  ASSERT_EQ(cluster->RunApply(*fewer).exit_code, 0);
  EXPECT_THAT(PoolMembers(*cluster, "research"), UnorderedElementsAre("qemu/100", "storage/local"));
  EXPECT_THAT(PoolMembers(*cluster, "ops"), ElementsAre("qemu/901")) << "a pool the spec does not name";
  auto again = cluster->MakePlan(*fewer);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(PoolE2e, AGuestInAPoolTheSpecDoesNotNameMovesToTheDeclaredOne) {
  POOL_START_OR_SKIP(cluster);
  ASSERT_EQ(cluster->Client().Post("/pools", {{"poolid", "ops"}}).status, 200);
  ASSERT_EQ(cluster->Client().Put("/pools", {{"poolid", "ops"}, {"vms", "900"}}).status, 200);
  auto spec = cluster->Load(PoolSpec(kPoolE2eSpec));
  ASSERT_TRUE(spec) << spec.error().message;
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(PoolMembers(*cluster, "research/students"), ElementsAre("qemu/900"));
  EXPECT_THAT(PoolMembers(*cluster, "ops"), IsEmpty());
}

TEST(PoolE2e, AMemberAddedThroughTheApiIsDrift) {
  POOL_START_OR_SKIP(cluster);
  auto spec = cluster->Load(PoolSpec(kPoolE2eSpec));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  ASSERT_EQ(cluster->Client().Put("/pools", {{"poolid", "research"}, {"vms", "901"}}).status, 200);
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("pool/research"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);
  EXPECT_THAT(PoolMembers(*cluster, "research"), UnorderedElementsAre("qemu/100", "qemu/101", "storage/local"));
}

TEST(PoolE2e, DeletionNeedsStateAbsentAndConsentAndKeepsTheMembers) {
  POOL_START_OR_SKIP(cluster);
  auto spec = cluster->Load(PoolSpec(kPoolE2eSpec));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  // Leaving a pool out of the spec leaves it alone.
  auto without = cluster->Load(PoolSpec("  - { id: research, comment: the research group, vms: [100, 101], "
                                        "storage: [local] }\n"));
  ASSERT_TRUE(without) << without.error().message;
  auto plan = cluster->MakePlan(*without);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), IsEmpty());

  auto absent = cluster->Load(PoolSpec(R"(  - { id: research, comment: the research group, vms: [100, 101], storage: [local] }
  - { id: research/students, state: absent }
)"));
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  EXPECT_THAT(PoolMembers(*cluster, "research/students"), ElementsAre("qemu/900"));
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  CommandRun apply = cluster->RunApply(*absent, options);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE(cluster->Client().Get("/pools", {{"poolid", "research/students"}}).status, 200);
  bool guest_stays = false;
  for (const auto& r : cluster->Client().Get("/cluster/resources", {{"type", "vm"}}).data()) {
    guest_stays = guest_stays || r.value("vmid", 0) == 900;
  }
  EXPECT_TRUE(guest_stays);
}

TEST(PoolE2e, TheExportPlansToNoChanges) {
  POOL_START_OR_SKIP(cluster);
  auto spec = cluster->Load(PoolSpec(kPoolE2eSpec));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  auto session = cli::ClusterSession::Open(*spec, cluster->Env(), nullptr);
  ASSERT_TRUE(session) << session.error().message;
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  ASSERT_EQ(cli::RunExport(*spec, (*session)->kinds(), {}, console), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("id: research/students"));
  auto exported = cluster->Load(out.str(), "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << out.str();
  auto plan = cluster->MakePlan(*exported);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), IsEmpty()) << out.str();
}

TEST(PoolE2e, ANestedPoolWithoutItsParentIsRefusedAtPlanTime) {
  POOL_START_OR_SKIP(cluster);
  auto spec = cluster->Load(PoolSpec("  - { id: lab/students, vms: [900] }\n"), "pools.yaml");
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().message, HasSubstr("pools.yaml:"));
  EXPECT_THAT(plan.error().message, HasSubstr("pool/lab/students: its parent pool `lab` is neither declared"));
}

}  // namespace
}  // namespace hainfra::testing

#undef POOL_START_OR_SKIP
