// The firewall's lock-out check at validate: a rule set that would not accept SSH and the API from the
// management network at every node is refused, located at the rule (or the policy) that drops them; a rule
// set that accepts them passes, through security groups, aliases and IP sets as pve-firewall resolves them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/spec/firewall_lockout.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Three nodes on 10.0.0.0/24 (vmbr0 carries their addresses), then the firewall section.
std::string FirewallLockoutSpec(const std::string& firewall) {
  return R"(nodes:
  - name: pve-01
    address: 10.0.0.11
    network: [ { iface: vmbr0, type: bridge, ports: [eno1], cidr: 10.0.0.11/24, gateway: 10.0.0.1 } ]
  - name: pve-02
    address: 10.0.0.12
    network: [ { iface: vmbr0, type: bridge, ports: [eno1], cidr: 10.0.0.12/24, gateway: 10.0.0.1 } ]
  - name: pve-03
    address: 10.0.0.13
    network: [ { iface: vmbr0, type: bridge, ports: [eno1], cidr: 10.0.0.13/24, gateway: 10.0.0.1 } ]
firewall:
)" + firewall;
}

TEST(FirewallLockout, EnablingWithTheDefaultsKeepsSshAndTheApiFromTheLocalNetwork) {
  // pve-firewall accepts SSH and the API from the local network when no `management` IP set is declared.
  EXPECT_THAT(Diagnose(FirewallLockoutSpec("  cluster: { enable: true, policy_in: DROP }\n")), IsEmpty());
}

TEST(FirewallLockout, ADropRuleAheadOfEverythingIsRefusedAtItsLine) {
  EXPECT_THAT(Diagnose(FirewallLockoutSpec(R"(  cluster:
    enable: true
    rules:
      - { action: ACCEPT, proto: icmp }
      - { action: DROP, source: 10.0.0.0/16, comment: too broad }
)")),
              ElementsAre(AllOf(HasSubstr("16:9: error: firewall_cluster/firewall_cluster: locks out"),
                                HasSubstr("this rule (DROP) would drop SSH (tcp/22) from the management network "
                                          "10.0.0.11/24 to node pve-01"))));
}

TEST(FirewallLockout, AManagementSetWithoutTheAdminNetworkAndAPolicyOfDropIsRefusedAtThePolicy) {
  auto lines = Diagnose(FirewallLockoutSpec(R"(  cluster:
    enable: true
    policy_in: DROP
    management: [192.168.7.0/24]
  ipsets:
    - { name: management, entries: [ { cidr: 10.9.9.0/24 } ] }
)"));
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines[0], AllOf(HasSubstr("14:5: error"), HasSubstr("the input policy DROP would drop SSH (tcp/22) "
                                                                   "from the management network 192.168.7.0/24")));
}

TEST(FirewallLockout, ANomatchExceptionInsideAnAcceptMakesTheDropAfterItRefused) {
  EXPECT_THAT(Diagnose(FirewallLockoutSpec(R"(  cluster:
    enable: true
    management: [10.0.0.0/24]
    rules:
      - { action: ACCEPT, proto: tcp, dport: "22,8006", source: +admins }
      - { action: DROP, comment: everything else }
  ipsets:
    - name: admins
      entries: [ { cidr: admin_net }, { cidr: 10.0.0.99, nomatch: true } ]
  aliases:
    - { name: admin_net, cidr: 10.0.0.0/16 }
)")),
              ElementsAre(HasSubstr("error: firewall_cluster/firewall_cluster: locks out: this rule (DROP)")))
      << "a nomatch entry inside the management network makes the accept uncertain: the drop is refused";
}

TEST(FirewallLockout, AnAcceptThroughASecurityGroupAndANodeRulePasses) {
  EXPECT_THAT(Diagnose(FirewallLockoutSpec(R"(  cluster:
    enable: true
    management: [10.0.0.0/24]
    rules:
      - { type: group, action: mgmt }
      - { action: DROP }
  groups:
    - name: mgmt
      rules:
        - { action: ACCEPT, macro: SSH, source: 10.0.0.0/24 }
        - { action: ACCEPT, proto: tcp, dport: "8006", source: 10.0.0.0/24 }
  nodes:
    - node: pve-02
      rules: [ { action: ACCEPT, proto: tcp, dport: "22" } ]
)")),
              IsEmpty());
}

TEST(FirewallLockout, ANodeRuleDroppingTheApiIsRefusedAtTheNodesRule) {
  EXPECT_THAT(Diagnose(FirewallLockoutSpec(R"(  cluster: { enable: true }
  nodes:
    - node: pve-02
      rules:
        - { action: ACCEPT, macro: SSH }
        - { action: REJECT, proto: tcp, dport: "8000:8100" }
)")),
              ElementsAre(AllOf(HasSubstr("17:11: error: firewall_node/pve-02: locks out: this rule (REJECT)"),
                                HasSubstr("would drop the API (tcp/8006)"), HasSubstr("to node pve-02"))));
}

TEST(FirewallLockout, TurningTheFirewallOffIsNeverRefused) {
  EXPECT_THAT(Diagnose(FirewallLockoutSpec("  cluster: { enable: false, rules: [ { action: DROP } ] }\n")),
              IsEmpty());
}

TEST(FirewallLockout, ARuleOnAnotherInterfaceDoesNotCount) {
  EXPECT_THAT(Diagnose(FirewallLockoutSpec(R"(  cluster:
    enable: true
    rules: [ { action: DROP, iface: vmbr1 } ]
)")),
              IsEmpty());
}

TEST(FirewallLockout, PortsWithoutAProtocolAreRefusedAsProxmoxDoes) {
  EXPECT_THAT(Diagnose(FirewallLockoutSpec(R"(  guests:
    - { vmid: 100, rules: [ { action: ACCEPT, dport: "80" } ] }
vms:
  - { vmid: 100, name: web, node: pve-01 }
)")),
              Contains(HasSubstr("error: firewall_guest/100: `dport` needs `proto` (tcp or udp) or a macro")));
}

TEST(FirewallLockout, TheModelWalksNodeRulesBeforeClusterRules) {
  spec::FirewallModel model;
  model.cluster_rules = Value::array({Value{{"action", "DROP"}}});
  spec::FirewallNodeView node;
  node.name = "pve-01";
  node.address = "10.0.0.11";
  node.rules = Value::array({Value{{"action", "ACCEPT"}, {"proto", "tcp"}, {"dport", "22"}}});
  EXPECT_TRUE(spec::JudgeFirewall(model, node, "10.0.0.0/24", 22).accepted);
  spec::FirewallVerdict api = spec::JudgeFirewall(model, node, "10.0.0.0/24", 8006);
  EXPECT_FALSE(api.accepted);
  EXPECT_EQ(api.list, "cluster");
  EXPECT_EQ(api.index, 0u);
}

}  // namespace
}  // namespace hainfra::testing
