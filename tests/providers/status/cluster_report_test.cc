// The status report's readers on real captures (../shared/pve-fixtures), its evaluation and its outputs.
#include "providers/status/cluster_report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace hainfra::status {
namespace {

std::string FixtureText(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A JSON capture's payload (without the {"data": …} envelope when it has one), or null.
Value FixtureData(const std::string& name) {
  std::string text = FixtureText(name);
  if (text.empty()) return nullptr;
  Value v = Value::parse(text);
  return v.is_object() && v.contains("data") ? v["data"] : v;
}

#define STATUS_FIXTURE_OR_SKIP(var, name)                                                                  \
  Value var = FixtureData(name);                                                                    \
  if (var.is_null()) GTEST_SKIP() << "shared fixtures not found under " << HAINFRA_SHARED_DIR << " (" \
                                  << name << ")"

bool HasFinding(const StatusReport& r, Severity s, const std::string& part) {
  for (const Finding& f : r.findings) {
    if (f.severity == s && f.text.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(StatusReport, AHealthyThreeNodeCaptureIsQuorateWithEveryVote) {
  STATUS_FIXTURE_OR_SKIP(raw, "api-cluster-status-3node.json");
  StatusReport r;
  ASSERT_TRUE(ReadClusterStatusInto(raw, r));
  Evaluate(r);
  EXPECT_EQ(r.cluster, "devcluster");
  EXPECT_TRUE(r.quorate);
  EXPECT_EQ(r.nodes.size(), 3u);
  EXPECT_EQ(r.votes_present, 3);
  EXPECT_EQ(r.votes_expected, 3);
  EXPECT_EQ(r.votes_needed, 2);
  EXPECT_EQ(r.Overall(), Severity::kOk) << RenderStatusText(r, false);
}

TEST(StatusReport, ACaptureWithTwoNodesInMaintenanceShowsThemAsNotices) {
  STATUS_FIXTURE_OR_SKIP(raw, "api-cluster-ha-status-current-maintenance.json");
  StatusReport r;
  r.quorate = true;
  ASSERT_TRUE(ReadHaStatusInto(raw, r));
  Evaluate(r);
  EXPECT_EQ(r.ha_master, "pve-node-b1");
  EXPECT_EQ(r.ha_master_state, "active");
  EXPECT_EQ(r.ha_quorum, "OK");
  ASSERT_NE(r.Node("pve-node-c1"), nullptr);
  EXPECT_TRUE(r.Node("pve-node-c1")->maintenance);
  EXPECT_EQ(r.Node("pve-node-a2")->lrm, "active");
  EXPECT_EQ(r.Node("pve-node-a1")->lrm, "idle");
  ASSERT_EQ(r.ha_services.size(), 1u);
  EXPECT_EQ(r.ha_services[0].sid, "vm:100");
  EXPECT_TRUE(HasFinding(r, Severity::kNotice, "pve-node-c2 is in HA maintenance mode"));
  EXPECT_FALSE(HasFinding(r, Severity::kWarning, "vm:100")) << "vm:100 is started as requested";
}

TEST(StatusReport, ARealCephStatusWithNearfullPoolsIsDegraded) {
  STATUS_FIXTURE_OR_SKIP(raw, "api-cluster-ceph-status.json");
  StatusReport r;
  r.quorate = true;
  ASSERT_TRUE(ReadCephStatusInto(raw, r.ceph));
  Evaluate(r);
  EXPECT_EQ(r.ceph.health, "HEALTH_WARN");
  EXPECT_EQ(r.ceph.osds, 21);
  EXPECT_EQ(r.ceph.osds_up, 21);
  EXPECT_EQ(r.ceph.osds_in, 21);
  EXPECT_EQ(r.ceph.pgs.at("active+clean"), 577);
  EXPECT_TRUE(HasFinding(r, Severity::kWarning, "POOL_NEARFULL HEALTH_WARN: 4 pool(s) nearfull"));
  EXPECT_TRUE(HasFinding(r, Severity::kWarning, "OSD_NEARFULL"));
  EXPECT_EQ(r.Overall(), Severity::kWarning);
}

TEST(StatusReport, ALinkThatDoesNotReachAPeerIsAWarningNamingBothNodes) {
  std::string text = FixtureText("cli-corosync-cfgtool-s-3node.txt");
  if (text.empty()) GTEST_SKIP() << "shared fixtures not found under " << HAINFRA_SHARED_DIR;
  const auto at = text.find("3:    connected");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("3:    connected").size(), "3:    disconnected");
  auto cfg = pve::ParseCfgtoolStatus(text);
  ASSERT_TRUE(cfg) << cfg.error().message;
  StatusReport r;
  r.quorate = true;
  ASSERT_TRUE(ReadConfigNodesInto(Value::array({{{"node", "pve1"}, {"nodeid", "1"}, {"quorum_votes", "1"}},
                                                {{"node", "pve2"}, {"nodeid", "2"}, {"quorum_votes", "1"}},
                                                {{"node", "pve3"}, {"nodeid", "3"}, {"quorum_votes", "1"}}}),
                                  r));
  for (NodeState& n : r.nodes) n.online = true;
  ReadLinksInto("pve1", *cfg, r);
  Evaluate(r);
  EXPECT_TRUE(HasFinding(r, Severity::kWarning, "pve1 link0 is not connected to pve3")) << RenderStatusText(r, false);
  EXPECT_EQ(r.Overall(), Severity::kWarning);
  EXPECT_NE(StatusMetrics(r).find("hainfra_corosync_link_up{node=\"pve1\",link=\"0\"} 0"), std::string::npos);
}

TEST(StatusReport, LostQuorumIsAnErrorCountingTheVotes) {
  StatusReport r;
  ASSERT_TRUE(ReadClusterStatusInto(
      Value::array({{{"type", "cluster"}, {"name", "lab"}, {"quorate", 0}, {"nodes", 3}},
                    {{"type", "node"}, {"name", "pve-01"}, {"online", 1}, {"local", 1}, {"nodeid", 1}},
                    {{"type", "node"}, {"name", "pve-02"}, {"online", 0}, {"nodeid", 2}},
                    {{"type", "node"}, {"name", "pve-03"}, {"online", 0}, {"nodeid", 3}}}),
      r));
  Evaluate(r);
  EXPECT_TRUE(HasFinding(r, Severity::kError, "the cluster 'lab' has no quorum (seen from pve-01: 1 of 3 votes, 2 needed)"));
  EXPECT_EQ(StatusJson(r)["health"], "failed");
  EXPECT_NE(StatusMetrics(r).find("hainfra_cluster_quorate 0"), std::string::npos);
}

TEST(StatusReport, AGuestInErrorIsAWarningAndAMigrationANotice) {
  StatusReport r;
  r.quorate = true;
  ASSERT_TRUE(ReadHaStatusInto(
      Value::array({{{"type", "service"}, {"sid", "vm:100"}, {"node", "pve-01"}, {"state", "error"},
                     {"request_state", "started"}},
                    {{"type", "service"}, {"sid", "vm:101"}, {"node", "pve-02"}, {"state", "migrate"},
                     {"request_state", "started"}},
                    {{"type", "service"}, {"sid", "vm:102"}, {"node", "pve-02"}, {"state", "stopped"},
                     {"request_state", "disabled"}}}),
      r));
  Evaluate(r);
  EXPECT_TRUE(HasFinding(r, Severity::kWarning, "vm:100 on pve-01 is error (requested started)"));
  EXPECT_TRUE(HasFinding(r, Severity::kNotice, "vm:101 on pve-02 is migrate"));
  EXPECT_FALSE(HasFinding(r, Severity::kNotice, "vm:102"));
}

// PVE 9's fencing entry while the HA stack is disarmed (pve-ha-manager's API2/HA/Status.pm shape).
TEST(StatusReport, ADisarmedHaStackIsAWarningAndItsFrozenServicesAreNotFindingsOfTheirOwn) {
  StatusReport r;
  r.quorate = true;
  ASSERT_TRUE(ReadHaStatusInto(
      Value::array({{{"type", "master"}, {"node", "pve-01"},
                     {"status", "pve-01 (active, Mon Dec  7 20:00:00 2026) - disarmed, resource mode: freeze"}},
                    {{"type", "fencing"}, {"node", "pve-01"},
                     {"status", "disarmed, resource mode: freeze (CRM watchdog released)"},
                     {"armed-state", "disarmed"}, {"resource_mode", "freeze"}},
                    {{"type", "lrm"}, {"node", "pve-01"},
                     {"status", "pve-01 (disarm mode, watchdog released, Mon Dec  7 20:00:00 2026)"}},
                    {{"type", "service"}, {"sid", "vm:100"}, {"node", "pve-01"}, {"state", "freeze"},
                     {"request_state", "started"}}}),
      r));
  Evaluate(r);
  EXPECT_TRUE(r.ha_disarmed());
  EXPECT_EQ(r.ha_resource_mode, "freeze");
  EXPECT_TRUE(HasFinding(r, Severity::kWarning, "HA is disarmed (resource mode freeze): no node fences"));
  EXPECT_FALSE(HasFinding(r, Severity::kNotice, "vm:100"));
  EXPECT_FALSE(HasFinding(r, Severity::kWarning, "vm:100"));
  EXPECT_EQ(StatusJson(r)["ha"]["armed_state"], "disarmed");
  EXPECT_NE(RenderStatusText(r, false).find("DISARMED (disarmed, resource mode freeze)"), std::string::npos);
  EXPECT_NE(StatusMetrics(r).find("hainfra_ha_disarmed 1\n"), std::string::npos);
}

TEST(StatusReport, TheNewestInstalledKernelIsComparedWithTheRunningOne) {
  Value versions = Value::array(
      {{{"Package", "proxmox-ve"}, {"Version", "9.1.0"}, {"CurrentState", "Installed"}, {"RunningKernel", "6.17.2-1-pve"}},
       {{"Package", "proxmox-kernel-6.17.10-1-pve-signed"}, {"Version", "6.17.10-1"}, {"CurrentState", "Installed"}},
       {{"Package", "proxmox-kernel-6.17.2-1-pve-signed"}, {"Version", "6.17.2-1"}, {"CurrentState", "Installed"}},
       {{"Package", "proxmox-kernel-6.17"}, {"Version", "6.17.10-1"}, {"CurrentState", "Installed"}},
       {{"Package", "proxmox-kernel-helper"}, {"Version", "9.0.4"}, {"CurrentState", "Installed"}}});
  auto view = ReadAptVersions(versions);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->running_kernel, "6.17.2-1-pve");
  EXPECT_EQ(view->newest_kernel, "6.17.10-1-pve") << "6.17.10 is newer than 6.17.2 (numbers, not text)";
  StatusReport r;
  r.quorate = true;
  NodeState* n = r.Node("pve-01");
  n->online = true;
  n->running_kernel = view->running_kernel;
  n->newest_kernel = view->newest_kernel;
  Evaluate(r);
  EXPECT_TRUE(HasFinding(r, Severity::kNotice, "pve-01 runs kernel 6.17.2-1-pve, newest installed is 6.17.10-1-pve"));
  EXPECT_EQ(r.Overall(), Severity::kNotice);
}

TEST(StatusReport, DebianVersionsCompareLikeDpkg) {
  EXPECT_LT(CompareDebianVersions("9.1.1", "9.1.2"), 0);
  EXPECT_GT(CompareDebianVersions("6.17.10-1", "6.17.9-3"), 0);
  EXPECT_LT(CompareDebianVersions("1.0~rc1-1", "1.0-1"), 0);
  EXPECT_GT(CompareDebianVersions("1:0.9", "2.0"), 0);
  EXPECT_EQ(CompareDebianVersions("2.0-1", "2.0-1"), 0);
  EXPECT_EQ(KernelRelease("pve-kernel-5.15.108-1-pve"), "5.15.108-1-pve");
  EXPECT_EQ(KernelRelease("proxmox-kernel-helper"), "");
}

TEST(StatusReport, PackagesThatDifferBetweenNodesAreListedWithEveryNodesVersion) {
  auto diff = VersionDifferences({{"pve-01", {{"pve-manager", "9.1.1"}, {"chrony", "4.6-1"}}},
                                  {"pve-02", {{"pve-manager", "9.1.2"}, {"chrony", "4.6-1"}}},
                                  {"pve-03", {{"pve-manager", "9.1.1"}}}});
  ASSERT_EQ(diff.size(), 2u);
  EXPECT_EQ(diff["pve-manager"]["pve-02"], "9.1.2");
  EXPECT_EQ(diff["chrony"]["pve-03"], "");
}

}  // namespace
}  // namespace hainfra::status
