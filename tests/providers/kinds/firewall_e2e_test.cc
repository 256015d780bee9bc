// The firewall kinds end to end against pvesim (schema validation and privileges on): the cluster's options
// and rules, aliases, IP sets with nomatch entries, a security group, a node's and a guest's rules; an empty
// second plan; a reorder done with `moveto` (no rule deleted or recreated); a rule changed in place keeping
// its position; drift made through the API; the export's round trip; and the commit-confirmed rollback when
// a node stops answering after the change.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "cli/cluster_session.h"
#include "cli/export_command.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"
#include "tests/testing/request_log.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class FirewallE2e : public ::testing::Test {
 protected:
  void SetUp() override { setenv("HAINFRA_FIREWALL_CONFIRM_SECONDS", "1", 1); }
  void TearDown() override { unsetenv("HAINFRA_FIREWALL_CONFIRM_SECONDS"); }

  static PvesimOptions World(const TempDir& dir) {
    PvesimOptions options;
    options.args = WorldArgs(dir, GuestWorld(9, {100}));
    return options;
  }
};

std::string FirewallSpec(const std::string& cluster_rules, const std::string& extra = "") {
  return ClusterHead() + GuestYaml({100}) + R"(
firewall:
  cluster:
    enable: true
    policy_in: DROP
    log_ratelimit: { enable: true, rate: 2/second, burst: 10 }
    management: [127.0.0.0/8]
    rules:
)" + cluster_rules + R"(  aliases:
    - { name: admin_net, cidr: 127.0.0.0/8, comment: where hainfra runs }
  ipsets:
    - name: management
      comment: SSH and the API
      entries: [ { cidr: admin_net }, { cidr: 127.0.0.99, nomatch: true, comment: not this one } ]
  groups:
    - name: web
      rules: [ { action: ACCEPT, macro: HTTPS }, { action: ACCEPT, proto: tcp, dport: "80" } ]
  nodes:
    - node: pve-01
      log_level_in: info
      rules: [ { action: ACCEPT, proto: tcp, dport: "22", source: +management } ]
  guests:
    - vmid: 100
      enable: true
      policy_in: DROP
      rules: [ { type: group, action: web, iface: net0 }, { action: ACCEPT, macro: Ping, log: info } ]
)" + extra;
}

const char* kFirewallRules = R"(      - { action: ACCEPT, proto: tcp, dport: "22,8006", source: admin_net, comment: management }
      - { action: ACCEPT, proto: icmp }
      - { action: DROP, proto: tcp, dport: "3128", log: warning }
)";

std::vector<std::string> FirewallClusterRuleLines(const E2eCluster& cluster) {
  std::vector<std::string> out;
  for (const auto& r : cluster.Client().Get("/cluster/firewall/rules").data()) {
    out.push_back(r.value("action", "") + " " + r.value("proto", "") + " " + r.value("dport", "") +
                  (r.value("enable", 0) == 1 ? "" : " (disabled)"));
  }
  return out;
}

TEST_F(FirewallE2e, CreatesEveryLevelThenPlansNothing) {
  TempDir dir("firewall-e2e");
  E2E_START_OR_SKIP(cluster, World(dir));
  auto spec = cluster->Load(FirewallSpec(kFirewallRules));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan),
              ElementsAre("create firewall_alias/admin_net", "create firewall_ipset/management",
                          "create firewall_group/web", "update firewall_guest/100", "update firewall_node/pve-01",
                          "update firewall_cluster/firewall_cluster"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(FirewallClusterRuleLines(*cluster), ElementsAre("ACCEPT tcp 22,8006", "ACCEPT icmp ", "DROP tcp 3128"));
  const auto options = cluster->Client().Get("/cluster/firewall/options").data();
  EXPECT_EQ(options.value("enable", 0), 1);
  EXPECT_EQ(options.value("log_ratelimit", ""), "enable=1,burst=10,rate=2/second");
  const auto entries = cluster->Client().Get("/cluster/firewall/ipset/management").data();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].value("nomatch", 0), 1);
  const auto guest = cluster->Client().Get("/nodes/pve-01/qemu/100/firewall/rules").data();
  ASSERT_EQ(guest.size(), 2u);
  EXPECT_EQ(guest[0].value("type", ""), "group");
  EXPECT_EQ(guest[1].value("macro", ""), "Ping");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST_F(FirewallE2e, AReorderMovesRulesAndAChangedRuleKeepsItsPosition) {
  TempDir dir("firewall-e2e");
  E2E_START_OR_SKIP(cluster, World(dir));
  ASSERT_EQ(cluster->RunApply(*cluster->Load(FirewallSpec(kFirewallRules))).exit_code, 0);
  PvesimClient client = cluster->Client();
  TakeRequests(client);
  auto reordered = cluster->Load(FirewallSpec(R"(      - { action: ACCEPT, proto: icmp }
      - { action: ACCEPT, proto: tcp, dport: "22,8006", source: admin_net, comment: management }
      - { action: DROP, proto: tcp, dport: "3129", log: warning }
)"));
  ASSERT_TRUE(reordered) << reordered.error().message;
  CommandRun apply = cluster->RunApply(*reordered);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(FirewallClusterRuleLines(*cluster), ElementsAre("ACCEPT icmp ", "ACCEPT tcp 22,8006", "DROP tcp 3129"));
  const auto log = TakeRequests(client);
  EXPECT_TRUE(FindRequests(log, "(POST|DELETE)", "/cluster/firewall/rules.*").empty())
      << "no rule deleted or recreated";
  EXPECT_EQ(FindRequests(log, "PUT", "/cluster/firewall/rules/1").size(), 1u) << "the icmp rule moved up";
  EXPECT_EQ(FindRequests(log, "PUT", "/cluster/firewall/rules/2").size(), 1u) << "the drop changed in place";
  auto again = cluster->MakePlan(*reordered);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST_F(FirewallE2e, ARuleAddedThroughTheApiIsDriftAndIsRemoved) {
  TempDir dir("firewall-e2e");
  E2E_START_OR_SKIP(cluster, World(dir));
  auto spec = cluster->Load(FirewallSpec(kFirewallRules));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  ASSERT_EQ(cluster->Client()
                .Post("/cluster/firewall/rules", {{"type", "in"}, {"action", "ACCEPT"}, {"proto", "udp"}, {"enable", "1"}})
                .status,
            200);
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("firewall_cluster/firewall_cluster"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_THAT(FirewallClusterRuleLines(*cluster), ElementsAre("ACCEPT tcp 22,8006", "ACCEPT icmp ", "DROP tcp 3128"));
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);
}

TEST_F(FirewallE2e, TheExportPlansToNoChanges) {
  TempDir dir("firewall-e2e");
  E2E_START_OR_SKIP(cluster, World(dir));
  auto spec = cluster->Load(FirewallSpec(kFirewallRules));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  auto session = cli::ClusterSession::Open(*spec, cluster->Env(), nullptr);
  ASSERT_TRUE(session) << session.error().message;
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  ASSERT_EQ(cli::RunExport(*spec, (*session)->kinds(), {}, console), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("firewall:"));
  // The export has no management sources (they are hainfra's, not Proxmox's): keep the spec's.
  std::string text = out.str();
  auto exported = cluster->Load(text, "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << text;
  auto plan = cluster->MakePlan(*exported);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), IsEmpty()) << text;
}

TEST_F(FirewallE2e, ANodeThatStopsAnsweringAfterTheChangeGetsThePreviousRuleSetBack) {
  TempDir dir("firewall-e2e");
  E2E_START_OR_SKIP(cluster, World(dir));
  ASSERT_EQ(cluster->RunApply(*cluster->Load(FirewallSpec(kFirewallRules))).exit_code, 0);
  PvesimClient client = cluster->Client();
  // After the change pve-02 stops answering (as if the new rules cut it off); its firewall API still works.
  ASSERT_EQ(client.Control("POST", "/faults/rules",
                           {{"method", "GET"}, {"path", "^/nodes/pve-02/status$"}, {"status", 595},
                            {"message", "No route to host"}})
                .status,
            200);
  auto changed = cluster->Load(FirewallSpec(R"(      - { action: ACCEPT, proto: tcp, dport: "22,8006", source: admin_net, comment: management }
      - { action: DROP, proto: tcp, dport: "9000" }
)"));
  ASSERT_TRUE(changed) << changed.error().message;
  CommandRun apply = cluster->RunApply(*changed);
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_THAT(apply.out + apply.err, HasSubstr("the previous rule set was restored"));
  EXPECT_THAT(FirewallClusterRuleLines(*cluster), ElementsAre("ACCEPT tcp 22,8006", "ACCEPT icmp ", "DROP tcp 3128"));
}

}  // namespace
}  // namespace hainfra::testing
