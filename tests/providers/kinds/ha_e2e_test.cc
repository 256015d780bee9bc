// ha_group, ha_rule and ha_resource end to end against pvesim (schema validation on), on PVE 9 (native
// rules; declared groups become Proxmox's own `ha-group-<name>` node-affinity rules) and PVE 8 (native
// groups; rules refused at plan time).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Guests() { return GuestYaml({101, 102, 103}); }

PvesimOptions Options(const TempDir& dir, int pve) {
  PvesimOptions options;
  options.pve = pve;
  options.args = WorldArgs(dir, GuestWorld(pve, {101, 102, 103}));
  return options;
}

#define HA_START_OR_SKIP(var, pve)                                           \
  TempDir var##_dir("ha-e2e");                                               \
  E2E_START_OR_SKIP(var, Options(var##_dir, pve))

std::string RulesSpec(const std::string& first_nodes, int max_restart) {
  return ClusterHead() + Guests() + R"(
ha:
  resources:
    - { sid: "vm:101", state: stopped, max_restart: )" + std::to_string(max_restart) + R"( }
    - { sid: "vm:102", state: stopped, comment: second web }
    - { sid: "vm:103", state: stopped, failback: false }
  rules:
    - name: web-first
      type: node-affinity
      resources: [vm:102, vm:101]
      nodes: )" + first_nodes + R"(
    - name: web-spread
      type: resource-affinity
      affinity: negative
      resources: [vm:101, vm:102, vm:103]
)";
}

nlohmann::json Find(const nlohmann::json& list, const std::string& key, const std::string& id) {
  for (const auto& item : list) {
    if (item.value(key, "") == id) return item;
  }
  return nullptr;
}

TEST(HaE2e, Pve9CreatesResourcesBeforeTheirRulesThenPlansNothing) {
  HA_START_OR_SKIP(cluster, 9);
  auto spec = cluster->Load(RulesSpec("{ pve-01: 2, pve-02: 1 }", 2));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("create ha_resource/vm:101", "create ha_resource/vm:102",
                                            "create ha_resource/vm:103", "create ha_rule/web-first",
                                            "create ha_rule/web-spread"));

  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto client = cluster->Client();
  nlohmann::json rule = client.Get("/cluster/ha/rules/web-first").data();
  EXPECT_EQ(rule.value("nodes", ""), "pve-01:2,pve-02:1");
  nlohmann::json resources = client.Get("/cluster/ha/resources").data();
  EXPECT_EQ(Find(resources, "sid", "vm:101").value("max_restart", 0), 2);
  EXPECT_EQ(Find(resources, "sid", "vm:103").value("failback", 1), 0);

  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(HaE2e, Pve9UpdatesARuleAndAResourceInPlace) {
  HA_START_OR_SKIP(cluster, 9);
  auto first = cluster->Load(RulesSpec("{ pve-01: 2, pve-02: 1 }", 2));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(cluster->RunApply(*first).exit_code, 0);

  auto changed = cluster->Load(RulesSpec("{ pve-01: 1, pve-02: 3 }", 4));
  ASSERT_TRUE(changed) << changed.error().message;
  auto plan = cluster->MakePlan(*changed);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update ha_resource/vm:101", "update ha_rule/web-first"));
  CommandRun apply = cluster->RunApply(*changed);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(cluster->Client().Get("/cluster/ha/rules/web-first").data().value("nodes", ""), "pve-01:1,pve-02:3");

  auto again = cluster->MakePlan(*changed);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(HaE2e, Pve9ChangesMadeThroughTheApiAreDrift) {
  HA_START_OR_SKIP(cluster, 9);
  auto spec = cluster->Load(RulesSpec("{ pve-01: 2, pve-02: 1 }", 2));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);

  auto client = cluster->Client();
  ApiResult put = client.Put("/cluster/ha/resources/vm:102", {{"max_relocate", "3"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  ApiResult rule = client.Put("/cluster/ha/rules/web-first", {{"type", "node-affinity"}, {"nodes", "pve-01:2,pve-03:1"}});
  ASSERT_EQ(rule.status, 200) << rule.raw;
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("ha_rule/web-first"));
  // max_relocate is not declared for vm:102: not managed, not drift.
  EXPECT_EQ(drift.out.find("ha_resource/vm:102"), std::string::npos) << drift.out;

  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);
}

TEST(HaE2e, RemovingAResourceEndsHaManagementButKeepsTheGuest) {
  HA_START_OR_SKIP(cluster, 9);
  auto spec = cluster->Load(RulesSpec("{ pve-01: 2, pve-02: 1 }", 2));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);

  auto absent = cluster->Load(ClusterHead() + Guests() + R"(
ha:
  resources:
    - { sid: "vm:101", state: stopped, max_restart: 2 }
    - { sid: "vm:102", state: stopped, comment: second web }
    - { sid: "vm:103", state: absent }
  rules:
    - name: web-first
      type: node-affinity
      resources: [vm:102, vm:101]
      nodes: { pve-01: 2, pve-02: 1 }
    - name: web-spread
      type: resource-affinity
      affinity: negative
      resources: [vm:101, vm:102]
)");
  ASSERT_TRUE(absent) << absent.error().message;
  auto plan = cluster->MakePlan(*absent);
  ASSERT_TRUE(plan) << plan.error().message;
  // The rule lets go of vm:103 before its HA resource goes.
  EXPECT_THAT(StepLines(*plan), ElementsAre("update ha_rule/web-spread", "delete ha_resource/vm:103"));

  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);  // no --allow-destroy
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  CommandRun done = cluster->RunApply(*absent, options);
  ASSERT_EQ(done.exit_code, 0) << done.out << done.err;
  auto client = cluster->Client();
  EXPECT_TRUE(Find(client.Get("/cluster/ha/resources").data(), "sid", "vm:103").is_null());
  EXPECT_EQ(client.Get("/nodes/pve-03/qemu/103/config").status, 200);  // the guest stays
  auto again = cluster->MakePlan(*absent);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

std::string GroupSpec(bool nofailback) {
  return ClusterHead() + Guests() + R"(
ha:
  groups:
    - { name: web, nodes: { pve-01: 2, pve-02: 1 }, restricted: true, nofailback: )" +
         (nofailback ? "true" : "false") + R"( }
  resources:
    - { sid: "vm:101", state: stopped, group: web }
    - { sid: "vm:102", state: stopped, group: web }
)";
}

TEST(HaE2e, Pve9GroupsBecomeTheRulesProxmoxMigrationWouldMake) {
  HA_START_OR_SKIP(cluster, 9);
  auto spec = cluster->Load(GroupSpec(true));
  ASSERT_TRUE(spec) << spec.error().message;
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;

  auto client = cluster->Client();
  nlohmann::json rule = client.Get("/cluster/ha/rules/ha-group-web").data();
  EXPECT_EQ(rule.value("type", ""), "node-affinity");
  EXPECT_EQ(rule.value("nodes", ""), "pve-01:2,pve-02:1");
  EXPECT_EQ(rule.value("strict", 0), 1);
  EXPECT_EQ(rule.value("resources", ""), "vm:101,vm:102");
  nlohmann::json resources = client.Get("/cluster/ha/resources").data();
  EXPECT_EQ(Find(resources, "sid", "vm:101").value("failback", 1), 0);  // nofailback: true
  EXPECT_FALSE(Find(resources, "sid", "vm:101").contains("group"));

  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());

  // Turning nofailback off is a change of the resources' failback.
  auto changed = cluster->Load(GroupSpec(false));
  ASSERT_TRUE(changed) << changed.error().message;
  auto plan = cluster->MakePlan(*changed);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update ha_resource/vm:101", "update ha_resource/vm:102"));
  ASSERT_EQ(cluster->RunApply(*changed).exit_code, 0);
  auto converged = cluster->MakePlan(*changed);
  ASSERT_TRUE(converged) << converged.error().message;
  EXPECT_THAT(StepLines(*converged), IsEmpty());
}

TEST(HaE2e, Pve9AClusterProxmoxMigratedPlansEmptyAgainstItsPve8Groups) {
  // A PVE 8 cluster upgraded to 9: groups.cfg still there; pve-ha-manager migrates it on its own.
  TempDir dir("ha-e2e");
  nlohmann::json world = GuestWorld(9, {101, 102, 103});
  world["files"] = {{"ha/groups.cfg", "group: web\n\tnodes pve-02:1,pve-01:2\n\trestricted 1\n\tnofailback 1\n\n"},
                    {"ha/resources.cfg", "vm: 101\n\tgroup web\n\tstate stopped\n\nvm: 102\n\tgroup web\n\tstate stopped\n\n"}};
  PvesimOptions options;
  options.args = WorldArgs(dir, world);
  options.args.insert(options.args.end(), {"--ha-tick", "100"});
  E2E_START_OR_SKIP(cluster, options);
  auto client = cluster->Client();
  for (int i = 0; i < 100 && client.Get("/cluster/ha/rules/ha-group-web").status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(client.Get("/cluster/ha/rules/ha-group-web").status, 200) << "pvesim did not migrate the groups";

  auto spec = cluster->Load(GroupSpec(true));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), IsEmpty());
}

TEST(HaE2e, Pve9PlanReadsEachHaCollectionWithOneListCall) {
  HA_START_OR_SKIP(cluster, 9);
  auto spec = cluster->Load(RulesSpec("{ pve-01: 2, pve-02: 1 }", 2));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  auto client = cluster->Client();
  ASSERT_EQ(client.Control("DELETE", "/requests").status, 200);
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  std::map<std::string, int> gets;
  for (const auto& request : client.Control("GET", "/requests").data()) {
    if (request.value("method", "") == "GET") ++gets[request.value("path", "")];
  }
  EXPECT_EQ(gets["/cluster/ha/resources"], 1);
  EXPECT_EQ(gets["/cluster/ha/rules"], 1);  // no groups declared: the group kind does not ask
  for (const auto& [path, count] : gets) {
    EXPECT_EQ(path.find("/cluster/ha/resources/"), std::string::npos) << "a per-object read: " << path;
    EXPECT_EQ(path.find("/cluster/ha/rules/"), std::string::npos) << "a per-object read: " << path;
  }
}

TEST(HaE2e, Pve8KeepsGroupsNativeAndOrdersThemBeforeResources) {
  HA_START_OR_SKIP(cluster, 8);
  auto spec = cluster->Load(GroupSpec(true));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan),
              ElementsAre("create ha_group/web", "create ha_resource/vm:101", "create ha_resource/vm:102"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto client = cluster->Client();
  nlohmann::json group = client.Get("/cluster/ha/groups/web").data();
  EXPECT_EQ(group.value("nodes", ""), "pve-01:2,pve-02:1");
  EXPECT_EQ(group.value("nofailback", 0), 1);
  EXPECT_EQ(Find(client.Get("/cluster/ha/resources").data(), "sid", "vm:102").value("group", ""), "web");

  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());

  ApiResult put = client.Put("/cluster/ha/groups/web", {{"nodes", "pve-01:2,pve-03:1"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("ha_group/web"));
}

TEST(HaE2e, Pve8RefusesHaRulesNamingEach) {
  HA_START_OR_SKIP(cluster, 8);
  auto spec = cluster->Load(ClusterHead() + Guests() + R"(
ha:
  resources:
    - { sid: "vm:101", state: stopped }
    - { sid: "vm:102", state: stopped }
  rules:
    - { name: web-first, type: node-affinity, resources: [vm:101], nodes: { pve-01: 1 } }
    - { name: web-spread, type: resource-affinity, affinity: negative, resources: [vm:101, vm:102] }
)", "ha.yaml");
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().message, HasSubstr("ha_rule/web-first: PVE 8 has no HA rules"));
  EXPECT_THAT(plan.error().message, HasSubstr("ha_rule/web-spread"));
  EXPECT_THAT(plan.error().message, HasSubstr("ha.yaml:"));
}

}  // namespace
}  // namespace hainfra::testing

#undef HA_START_OR_SKIP
