// The node network kind end to end: spec -> plan -> apply -> plan against pvesim (schema validation on),
// PVE 8 and 9: one reload per node, nodes one at a time, foreign staged changes refused, drift, and the
// node kept reachable (rollback when it stops answering).
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"
#include "tests/testing/request_log.h"

namespace hainfra::testing {
namespace {

constexpr const char* kNetworkCluster = R"(
cluster:
  name: lab
  api:
    endpoint: https://10.10.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
)";

// Node `n` (1-based) with a bond, a VLAN-aware bridge on it and a VLAN interface with an address.
std::string NodeSpec(int n, const std::string& storage_cidr, const std::string& mgmt_last_octet = "") {
  const std::string num = std::to_string(n);
  const std::string mgmt = "10.10.0." + (mgmt_last_octet.empty() ? std::to_string(10 + n) : mgmt_last_octet);
  return "  - name: pve-0" + num + "\n    address: 10.10.0." + std::to_string(10 + n) +
         "\n    network:\n"
         "      - { iface: vmbr0, type: bridge, ports: [eno1], cidr: " + mgmt + "/24, gateway: 10.10.0.1 }\n"
         "      - { iface: bond0, type: bond, slaves: [eno3, eno2], bond_mode: 802.3ad, hash_policy: layer3+4 }\n"
         "      - { iface: vmbr1, type: bridge, ports: [bond0], vlan_aware: true, vids: ['2-4094'], mtu: 9000 }\n"
         "      - { iface: vmbr1.30, type: vlan, cidr: " + storage_cidr + ", comment: storage }\n";
}

std::string NetworkSpecText(const std::string& pve02_storage = "10.30.0.12/24", const std::string& pve02_mgmt = "",
                            const std::string& pve03_storage = "10.30.0.13/24") {
  return std::string(kNetworkCluster) + "nodes:\n" + NodeSpec(1, "10.30.0.11/24") +
         NodeSpec(2, pve02_storage, pve02_mgmt) + NodeSpec(3, pve03_storage);
}

class NetworkE2e : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override { setenv("HAINFRA_NETWORK_CONFIRM_SECONDS", "1", 1); }
  void TearDown() override { unsetenv("HAINFRA_NETWORK_CONFIRM_SECONDS"); }
  PvesimOptions Options() const {
    PvesimOptions o;
    o.pve = GetParam();
    o.task_duration = std::chrono::milliseconds(10);
    return o;
  }
};

TEST_P(NetworkE2e, CreatesBondsBridgesAndVlansWithOneReloadPerNodeOneNodeAtATime) {
  E2E_START_OR_SKIP(cluster, Options());
  PvesimClient client = cluster->Client();
  const Spec spec = LoadOrFail(*cluster, NetworkSpecText());
  TakeRequests(client);
  const CommandRun apply = cluster->RunApply(spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  const auto log = TakeRequests(client);
  std::vector<size_t> reloads;
  for (const char* node : {"pve-01", "pve-02", "pve-03"}) {
    const auto puts = FindRequests(log, "PUT", std::string("/nodes/") + node + "/network");
    ASSERT_EQ(puts.size(), 1u) << node;
    reloads.push_back(puts[0]);
  }
  // pve-02 is touched only after pve-01's reload, pve-03 only after pve-02's.
  EXPECT_GT(FindRequests(log, "POST", "/nodes/pve-02/network").front(), reloads[0]);
  EXPECT_GT(FindRequests(log, "POST", "/nodes/pve-03/network").front(), reloads[1]);
  ExpectEmptyPlan(*cluster, spec);

  const auto vlan = client.Get("/nodes/pve-02/network/vmbr1.30");
  EXPECT_EQ(vlan.data().value("cidr", ""), "10.30.0.12/24") << vlan.body.dump();
  const auto bond = client.Get("/nodes/pve-02/network/bond0");
  EXPECT_EQ(bond.data().value("slaves", ""), "eno2 eno3") << bond.body.dump();
}

TEST_P(NetworkE2e, APortMovesFromTheInstallersBridgeIntoANewBondUnderIt) {
  // The installer left vmbr0 on eno1; the spec puts eno1 and eno2 into bond0 and vmbr0 on bond0. Proxmox
  // checks each request on its own (a port belongs to one interface, a bridge's ports must exist), so vmbr0
  // first lets go of eno1, then bond0 is created, then vmbr0 takes bond0 — one reload for the node.
  E2E_START_OR_SKIP(cluster, Options());
  PvesimClient client = cluster->Client();
  const Spec spec = LoadOrFail(*cluster, std::string(kNetworkCluster) + R"(nodes:
  - name: pve-01
    address: 10.10.0.11
    network:
      - { iface: bond0, type: bond, slaves: [eno1, eno2], bond_mode: active-backup }
      - { iface: vmbr0, type: bridge, ports: [bond0], cidr: 10.10.0.11/24, gateway: 10.10.0.1 }
)");
  TakeRequests(client);
  const CommandRun apply = cluster->RunApply(spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(FindRequests(TakeRequests(client), "PUT", "/nodes/pve-01/network").size(), 1u);
  ExpectEmptyPlan(*cluster, spec);
  EXPECT_EQ(client.Get("/nodes/pve-01/network/vmbr0").data().value("bridge_ports", ""), "bond0");
  EXPECT_EQ(client.Get("/nodes/pve-01/network/bond0").data().value("slaves", ""), "eno1 eno2");
}

TEST_P(NetworkE2e, AnInterfaceDeclaredAbsentIsRemovedAndThenPlansNothing) {
  E2E_START_OR_SKIP(cluster, Options());
  PvesimClient client = cluster->Client();
  const std::string head = std::string(kNetworkCluster) + R"(nodes:
  - name: pve-01
    address: 10.10.0.11
    network:
      - { iface: vmbr0, type: bridge, ports: [eno1], cidr: 10.10.0.11/24, gateway: 10.10.0.1 }
)";
  const Spec with = LoadOrFail(*cluster, head + "      - { iface: vmbr0.30, type: vlan, cidr: 10.30.0.11/24 }\n");
  ASSERT_EQ(cluster->RunApply(with).exit_code, 0);
  ASSERT_EQ(client.Get("/nodes/pve-01/network/vmbr0.30").status, 200);

  const Spec without = LoadOrFail(*cluster, head + "      - { iface: vmbr0.30, type: vlan, state: absent }\n");
  auto plan = cluster->MakePlan(without);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 2u);  // the change and the node's commit
  const Change& change = plan->steps[0].change;
  ASSERT_EQ(change.fields.size(), 1u);
  EXPECT_EQ(change.fields[0].path, "network[vmbr0.30]");
  EXPECT_TRUE(change.fields[0].after.is_null());
  const CommandRun apply = cluster->RunApply(without);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE(client.Get("/nodes/pve-01/network/vmbr0.30").status, 200);
  ExpectEmptyPlan(*cluster, without);  // absent and gone: nothing to do
}

TEST_P(NetworkE2e, AnAddressChangeIsOneUpdateAndTheNextPlanIsEmpty) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_EQ(cluster->RunApply(LoadOrFail(*cluster, NetworkSpecText())).exit_code, 0);
  const Spec changed = LoadOrFail(*cluster, NetworkSpecText("10.30.0.112/24"));
  auto plan = cluster->MakePlan(changed);
  ASSERT_TRUE(plan) << plan.error().message;
  std::vector<std::string> changes;
  for (const auto& s : plan->steps) {
    if (s.type == StepType::kChange) changes.push_back(s.change.address.ToString());
  }
  EXPECT_EQ(changes, std::vector<std::string>{"network/pve-02"});
  const CommandRun apply = cluster->RunApply(changed);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  ExpectEmptyPlan(*cluster, changed);
}

TEST_P(NetworkE2e, AnOutOfBandChangeIsDrift) {
  E2E_START_OR_SKIP(cluster, Options());
  const Spec spec = LoadOrFail(*cluster, NetworkSpecText());
  ASSERT_EQ(cluster->RunApply(spec).exit_code, 0);
  PvesimClient client = cluster->Client();
  ASSERT_EQ(client.Put("/nodes/pve-03/network/vmbr1", {{"type", "bridge"}, {"mtu", "1500"}}).status, 200);
  const auto reload = client.Put("/nodes/pve-03/network");
  ASSERT_EQ(reload.status, 200);
  EXPECT_EQ(client.WaitTask(reload.data().get<std::string>()), "OK");
  const CommandRun drift = cluster->RunDrift(spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE((drift.out + drift.err).find("network/pve-03"), std::string::npos) << drift.out;
  EXPECT_NE((drift.out + drift.err).find("mtu"), std::string::npos) << drift.out;
}

TEST_P(NetworkE2e, ChangesSomeoneElseStagedAreRefusedNotApplied) {
  E2E_START_OR_SKIP(cluster, Options());
  PvesimClient client = cluster->Client();
  ASSERT_EQ(client.Post("/nodes/pve-01/network", {{"iface", "vmbr7"}, {"type", "bridge"}}).status, 200);
  const CommandRun apply = cluster->RunApply(LoadOrFail(*cluster, NetworkSpecText()));
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE((apply.out + apply.err).find("staged by someone else"), std::string::npos) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("vmbr7"), std::string::npos) << apply.err;
  // Nothing was reloaded: the foreign change is still only staged.
  EXPECT_FALSE(client.Get("/nodes/pve-01/network").body.value("changes", "").empty());
  EXPECT_TRUE(FindRequests(TakeRequests(client), "PUT", "/nodes/.*/network").empty());
}

TEST_P(NetworkE2e, ANodeThatLosesItsManagementAddressStopsTheRollWithAClearError) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_EQ(cluster->RunApply(LoadOrFail(*cluster, NetworkSpecText())).exit_code, 0);
  PvesimClient client = cluster->Client();
  // pve-02's management address moves: the cluster can no longer reach it (pvesim answers 595).
  TakeRequests(client);
  const CommandRun apply =
      cluster->RunApply(LoadOrFail(*cluster, NetworkSpecText("10.30.0.112/24", "52", "10.30.0.113/24")));
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_TRUE(FindRequests(TakeRequests(client), "(PUT|POST)", "/nodes/pve-03/network.*").empty());
  EXPECT_NE((apply.out + apply.err).find("pve-02 did not answer"), std::string::npos) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("could NOT be restored"), std::string::npos) << apply.err;
  EXPECT_EQ(client.Get("/nodes/pve-02/status").status, 595);
}

TEST_P(NetworkE2e, ANodeThatStopsAnsweringIsRestoredThroughTheApi) {
  E2E_START_OR_SKIP(cluster, Options());
  ASSERT_EQ(cluster->RunApply(LoadOrFail(*cluster, NetworkSpecText())).exit_code, 0);
  PvesimClient client = cluster->Client();
  // pve-02's status stops answering (a reachability check failing), its network API still works.
  const auto rule = client.Control("POST", "/faults/rules",
                                   {{"method", "GET"}, {"path", "^/nodes/pve-02/status$"}, {"status", 595},
                                    {"message", "No route to host"}});
  ASSERT_EQ(rule.status, 200) << rule.body.dump();
  TakeRequests(client);
  const CommandRun apply =
      cluster->RunApply(LoadOrFail(*cluster, NetworkSpecText("10.30.0.112/24", "", "10.30.0.113/24")));
  EXPECT_EQ(apply.exit_code, 1);
  const auto log = TakeRequests(client);
  EXPECT_EQ(FindRequests(log, "PUT", "/nodes/pve-02/network").size(), 2u);  // the change, then the restore
  // pve-03 was not touched after pve-02 failed.
  EXPECT_TRUE(FindRequests(log, "PUT", "/nodes/pve-03/network.*").empty());
  EXPECT_NE((apply.out + apply.err).find("restored through the API"), std::string::npos) << apply.out << apply.err;
  const auto vlan = client.Get("/nodes/pve-02/network/vmbr1.30");
  EXPECT_EQ(vlan.data().value("cidr", ""), "10.30.0.12/24") << vlan.body.dump();
  EXPECT_TRUE(client.Get("/nodes/pve-02/network").body.value("changes", "").empty());
}

INSTANTIATE_TEST_SUITE_P(Pve, NetworkE2e, ::testing::Values(8, 9),
                         [](const auto& p) { return "Pve" + std::to_string(p.param); });

}  // namespace
}  // namespace hainfra::testing
