// pvesim as a process (schema validation on): the firewall API as pve-firewall serves it — a captured
// cluster.fw read as Proxmox reads it, rules created at the top and disabled unless `enable` is given,
// `moveto`, the file's digest on every answer and checked on every write, and the IP sets' nomatch entries.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/pvesim/firewall_config.h"
#include "tests/testing/kind_e2e.h"
#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

using json = nlohmann::json;

std::string FirewallFixture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> FirewallRuleActions(PvesimClient& c) {
  std::vector<std::string> out;
  for (const auto& r : c.Get("/cluster/firewall/rules").data()) {
    out.push_back(r.value("action", "") + ":" + r.value("dport", "") + ":" + std::to_string(r.value("enable", 0)));
  }
  return out;
}

TEST(PvesimFirewall, ReadsACapturedClusterFwAsPveFirewallDoes) {
  const std::string captured = FirewallFixture("cfg-firewall-cluster-aliases-ipsets.fw");
  if (captured.empty()) GTEST_SKIP() << "no captures under " << HAINFRA_SHARED_DIR;
  TempDir dir("firewall-fixture");
  json world = GuestWorld(9, {});
  world["files"] = {{"firewall/cluster.fw", captured}};
  PvesimOptions options;
  options.args = WorldArgs(dir, world);
  PVESIM_START_OR_SKIP(pvesim, options);
  PvesimClient c(*pvesim);
  const json rules = c.Get("/cluster/firewall/rules").data();
  ASSERT_EQ(rules.size(), 5u) << rules.dump();
  EXPECT_EQ(rules[0].value("macro", ""), "HTTP");
  EXPECT_EQ(rules[0].value("comment", ""), "Let's Encrypt");
  EXPECT_EQ(rules[4].value("source", ""), "+dc_backup_nodes");
  EXPECT_EQ(rules[4].value("pos", -1), 4);
  const json aliases = c.Get("/cluster/firewall/aliases").data();
  EXPECT_EQ(aliases.size(), 6u);
  const json sets = c.Get("/cluster/firewall/ipset").data();
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[1].value("comment", ""), "Remote Management (special set)");
  EXPECT_EQ(c.Get("/cluster/firewall/options").data().value("enable", 0), 1);
  // The file round-trips through the simulator's writer to the same rules.
  pvesim::FwConfig parsed = pvesim::ParseFwConfig(captured);
  pvesim::FwConfig again = pvesim::ParseFwConfig(pvesim::WriteFwConfig(parsed));
  EXPECT_EQ(again.rules, parsed.rules);
  EXPECT_EQ(again.ipset_order, parsed.ipset_order);
}

TEST(PvesimFirewall, ARuleIsCreatedAtTheTopDisabledUnlessEnabledAndMovedWithMoveto) {
  TempDir dir("firewall-rules");
  PvesimOptions options;
  options.args = WorldArgs(dir, GuestWorld(9, {}));
  PVESIM_START_OR_SKIP(pvesim, options);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Post("/cluster/firewall/rules", {{"type", "in"}, {"action", "ACCEPT"}, {"proto", "tcp"}, {"dport", "22"}})
                .status,
            200);
  ASSERT_EQ(c.Post("/cluster/firewall/rules",
                   {{"type", "in"}, {"action", "DROP"}, {"proto", "tcp"}, {"dport", "80"}, {"enable", "1"}})
                .status,
            200);
  EXPECT_EQ(FirewallRuleActions(c), (std::vector<std::string>{"DROP:80:1", "ACCEPT:22:0"}));
  const std::string digest = c.Get("/cluster/firewall/rules").data()[0].value("digest", "");
  ASSERT_EQ(c.Put("/cluster/firewall/rules/0", {{"moveto", "2"}, {"digest", digest}}).status, 200);
  EXPECT_EQ(FirewallRuleActions(c), (std::vector<std::string>{"ACCEPT:22:0", "DROP:80:1"}));
  // The digest of before the move is stale now.
  const ApiResult stale = c.Put("/cluster/firewall/rules/0", {{"enable", "1"}, {"digest", digest}});
  EXPECT_EQ(stale.status, 500);
  EXPECT_NE(stale.body.dump().find("detected modified configuration"), std::string::npos) << stale.body.dump();
  // Ports without a protocol are refused, as verify_rule does.
  EXPECT_EQ(c.Post("/cluster/firewall/rules", {{"type", "in"}, {"action", "ACCEPT"}, {"dport", "22"}}).status, 400);
}

TEST(PvesimFirewall, IpSetEntriesKeepNomatchAndAGroupRuleNeedsTheGroup) {
  TempDir dir("firewall-sets");
  PvesimOptions options;
  options.args = WorldArgs(dir, GuestWorld(9, {100}));
  PVESIM_START_OR_SKIP(pvesim, options);
  PvesimClient c(*pvesim);
  ASSERT_EQ(c.Post("/cluster/firewall/ipset", {{"name", "admins"}}).status, 200);
  ASSERT_EQ(c.Post("/cluster/firewall/ipset/admins", {{"cidr", "10.0.0.0/24"}}).status, 200);
  ASSERT_EQ(c.Post("/cluster/firewall/ipset/admins", {{"cidr", "10.0.0.9"}, {"nomatch", "1"}}).status, 200);
  const json entries = c.Get("/cluster/firewall/ipset/admins").data();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].value("nomatch", 0), 1);
  EXPECT_EQ(c.Post("/nodes/pve-01/qemu/100/firewall/rules", {{"type", "group"}, {"action", "web"}}).status, 400);
  ASSERT_EQ(c.Post("/cluster/firewall/groups", {{"group", "web"}}).status, 200);
  EXPECT_EQ(c.Post("/nodes/pve-01/qemu/100/firewall/rules", {{"type", "group"}, {"action", "web"}, {"enable", "1"}})
                .status,
            200);
  EXPECT_EQ(c.Get("/nodes/pve-01/qemu/100/firewall/rules").data().size(), 1u);
  EXPECT_NE(c.Get("/nodes/pve-02/qemu/100/firewall/rules").status, 200) << "the guest is on pve-01";
}

}  // namespace
}  // namespace hainfra::testing
