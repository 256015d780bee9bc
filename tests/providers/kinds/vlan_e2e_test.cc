// The VLAN (SDN) kind end to end against pvesim (schema validation on), PVE 8 and 9: zones, vnets and
// subnets staged and applied with exactly one PUT /cluster/sdn, the PVE 9 lock taken and released (also on
// failure), an empty second plan, drift, pending-only changes completed, deletion only with consent.
#include <gtest/gtest.h>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"
#include "tests/testing/request_log.h"

namespace hainfra::testing {
namespace {

constexpr const char* kVlanCluster = R"(
cluster:
  name: lab
  api:
    endpoint: https://10.10.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
vlans:
)";

std::string VlanSpecText(int research_tag = 20, const std::string& lab_state = "present") {
  return std::string(kVlanCluster) + "  - name: research\n    zone: prod\n    bridge: vmbr0\n    tag: " +
         std::to_string(research_tag) +
         "\n    alias: Research\n    subnets:\n      - { cidr: 10.20.0.0/24, gateway: 10.20.0.1, snat: true }\n"
         "  - { name: lab, zone: prod, bridge: vmbr0, tag: 30, state: " + lab_state + " }\n";
}

class VlanE2e : public ::testing::TestWithParam<int> {
 protected:
  PvesimOptions Options() const {
    PvesimOptions o;
    o.pve = GetParam();
    o.task_duration = std::chrono::milliseconds(10);
    return o;
  }
  bool LockHeld(PvesimClient& client) { return client.Control("GET", "/files/sdn/.lock").status == 200; }
};

TEST_P(VlanE2e, CreatesZoneVnetsAndSubnetsWithOneApply) {
  E2E_START_OR_SKIP(cluster, Options());
  PvesimClient client = cluster->Client();
  const Spec spec = LoadOrFail(*cluster, VlanSpecText());
  TakeRequests(client);
  const CommandRun apply = cluster->RunApply(spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  const auto log = TakeRequests(client);
  const auto applies = FindRequests(log, "PUT", "/cluster/sdn");
  ASSERT_EQ(applies.size(), 1u);
  EXPECT_EQ(FindRequests(log, "POST", "/cluster/sdn/zones").size(), 1u);
  EXPECT_EQ(FindRequests(log, "POST", "/cluster/sdn/vnets").size(), 2u);
  EXPECT_EQ(FindRequests(log, "POST", "/cluster/sdn/vnets/research/subnets").size(), 1u);
  const auto mutations = FindRequests(log, "(POST|PUT|DELETE)", "/cluster/sdn/(zones|vnets).*");
  EXPECT_LT(mutations.back(), applies.front());  // the apply comes after the last staged change
  if (GetParam() == 9) {
    EXPECT_EQ(FindRequests(log, "POST", "/cluster/sdn/lock").size(), 1u);
    for (size_t i : mutations) EXPECT_TRUE(log[i]["params"].contains("lock-token")) << log[i].dump();
    EXPECT_TRUE(log[applies[0]]["params"].contains("lock-token"));
  } else {
    EXPECT_TRUE(FindRequests(log, "POST", "/cluster/sdn/lock").empty());
  }
  EXPECT_FALSE(LockHeld(client));
  const auto vnet = client.Get("/cluster/sdn/vnets/research", {{"running", "1"}});
  EXPECT_EQ(vnet.data().value("tag", 0), 20) << vnet.body.dump();
  ExpectEmptyPlan(*cluster, spec);
}

TEST_P(VlanE2e, AChangedTagIsAnUpdateAndTheNextPlanIsEmpty) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_EQ(cluster->RunApply(LoadOrFail(*cluster, VlanSpecText())).exit_code, 0);
  const Spec changed = LoadOrFail(*cluster, VlanSpecText(21));
  PvesimClient client = cluster->Client();
  TakeRequests(client);
  const CommandRun apply = cluster->RunApply(changed);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  const auto log = TakeRequests(client);
  EXPECT_EQ(FindRequests(log, "PUT", "/cluster/sdn/vnets/research").size(), 1u);
  EXPECT_EQ(FindRequests(log, "PUT", "/cluster/sdn").size(), 1u);
  ExpectEmptyPlan(*cluster, changed);
}

TEST_P(VlanE2e, AnOutOfBandChangeIsDrift) {
  E2E_START_OR_SKIP(cluster, Options());
  const Spec spec = LoadOrFail(*cluster, VlanSpecText());
  ASSERT_EQ(cluster->RunApply(spec).exit_code, 0);
  PvesimClient client = cluster->Client();
  ASSERT_EQ(client.Put("/cluster/sdn/vnets/lab", {{"tag", "31"}}).status, 200);
  const auto reload = client.Put("/cluster/sdn");
  ASSERT_EQ(reload.status, 200) << reload.body.dump();
  EXPECT_EQ(client.WaitTask(reload.data().get<std::string>()), "OK");
  const CommandRun drift = cluster->RunDrift(spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE((drift.out + drift.err).find("vlan/lab"), std::string::npos) << drift.out;
}

TEST_P(VlanE2e, APendingOnlyChangeIsAppliedNotStagedAgain) {
  E2E_START_OR_SKIP(cluster, Options());
  PvesimClient client = cluster->Client();
  // Someone staged exactly what the spec wants and never applied it.
  ASSERT_EQ(client.Post("/cluster/sdn/zones", {{"zone", "prod"}, {"type", "vlan"}, {"bridge", "vmbr0"}}).status, 200);
  ASSERT_EQ(client.Post("/cluster/sdn/vnets", {{"vnet", "lab"}, {"zone", "prod"}, {"tag", "30"}}).status, 200);
  const Spec spec = LoadOrFail(*cluster, VlanSpecText());
  TakeRequests(client);
  const CommandRun apply = cluster->RunApply(spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  const auto log = TakeRequests(client);
  EXPECT_EQ(FindRequests(log, "POST", "/cluster/sdn/vnets").size(), 1u);  // research only
  EXPECT_TRUE(FindRequests(log, "(POST|PUT)", "/cluster/sdn/(zones.*|vnets/lab)").empty());
  EXPECT_EQ(FindRequests(log, "PUT", "/cluster/sdn").size(), 1u);
  ExpectEmptyPlan(*cluster, spec);
}

TEST_P(VlanE2e, DeletesOnlyWithConsent) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_EQ(cluster->RunApply(LoadOrFail(*cluster, VlanSpecText())).exit_code, 0);
  const Spec absent = LoadOrFail(*cluster, VlanSpecText(20, "absent"));
  PvesimClient client = cluster->Client();
  const CommandRun refused = cluster->RunApply(absent);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_EQ(client.Get("/cluster/sdn/vnets/lab", {{"running", "1"}}).status, 200);
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  const CommandRun apply = cluster->RunApply(absent, options);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE(client.Get("/cluster/sdn/vnets/lab", {{"running", "1"}}).status, 200);
  EXPECT_EQ(client.Get("/cluster/sdn/zones/prod", {{"running", "1"}}).status, 200);  // the zone stays
  EXPECT_FALSE(LockHeld(client));
  ExpectEmptyPlan(*cluster, absent);
}

TEST_P(VlanE2e, AFailedStepReleasesTheLockAndAppliesNothing) {
  E2E_START_OR_SKIP(cluster, Options());
  PvesimClient client = cluster->Client();
  const auto rule = client.Control("POST", "/faults/rules",
                                   {{"method", "POST"}, {"path", "^/cluster/sdn/vnets/research/subnets$"},
                                    {"status", 500}, {"message", "injected failure"}});
  ASSERT_EQ(rule.status, 200) << rule.body.dump();
  TakeRequests(client);
  const CommandRun apply = cluster->RunApply(LoadOrFail(*cluster, VlanSpecText()));
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE((apply.out + apply.err).find("injected failure"), std::string::npos) << apply.out << apply.err;
  const auto log = TakeRequests(client);
  EXPECT_TRUE(FindRequests(log, "PUT", "/cluster/sdn").empty());
  EXPECT_FALSE(LockHeld(client));
  if (GetParam() == 9) {
    EXPECT_FALSE(FindRequests(log, "DELETE", "/cluster/sdn/lock").empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Pve, VlanE2e, ::testing::Values(8, 9),
                         [](const auto& p) { return "Pve" + std::to_string(p.param); });

}  // namespace
}  // namespace hainfra::testing
