// Reading /cluster/status, the HA manager's status and the quorum gate's decisions, from real captures.
#include "providers/safety/cluster_health.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "providers/safety/quorum_gate.h"

namespace hainfra::safety {
namespace {

// A capture of ../shared/pve-fixtures, or null (the test then skips).
Value Capture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  if (!in) return nullptr;
  std::stringstream text;
  text << in.rdbuf();
  Value v = Value::parse(text.str());
  return v.is_object() && v.contains("data") ? v["data"] : v;
}

#define CAPTURE_OR_SKIP(var, name)                                                                    \
  Value var = Capture(name);                                                                          \
  if (var.is_null()) GTEST_SKIP() << "shared fixtures not found under " << HAINFRA_SHARED_DIR << " (" \
                                  << name << ")"

TEST(ClusterStatus, ReadsARealThreeNodeCluster) {
  CAPTURE_OR_SKIP(raw, "api-cluster-status-3node.json");
  auto status = ParseClusterStatus(raw);
  ASSERT_TRUE(status.has_value()) << status.error().message;
  EXPECT_TRUE(status->clustered);
  EXPECT_TRUE(status->quorate);
  EXPECT_EQ(status->name, "devcluster");
  EXPECT_EQ(status->local, "srv-proxmox-03");
  EXPECT_EQ(status->online.size(), 3u);
  EXPECT_TRUE(status->online.at("srv-proxmox-01"));
  EXPECT_EQ(QuorumRefusal(*status, {"srv-proxmox-01", "srv-proxmox-02"}, {}), "");
}

TEST(ClusterStatus, AStandaloneNodeIsAlwaysQuorate) {
  CAPTURE_OR_SKIP(raw, "api-cluster-status-standalone.json");
  auto status = ParseClusterStatus(raw);
  ASSERT_TRUE(status.has_value()) << status.error().message;
  EXPECT_FALSE(status->clustered);
  EXPECT_TRUE(status->quorate);
  EXPECT_EQ(status->local, "pve");
  EXPECT_EQ(QuorumRefusal(*status, {"pve"}, {}), "");
}

Value ThreeNodes(int quorate, int online3) {
  return Value::array({{{"type", "cluster"}, {"name", "lab"}, {"quorate", quorate}, {"nodes", 3}},
                       {{"type", "node"}, {"name", "pve-01"}, {"online", 1}, {"local", 1}},
                       {{"type", "node"}, {"name", "pve-02"}, {"online", 1}, {"local", 0}},
                       {{"type", "node"}, {"name", "pve-03"}, {"online", online3}, {"local", 0}}});
}

TEST(QuorumGate, RefusesAClusterWithoutQuorum) {
  auto status = ParseClusterStatus(ThreeNodes(0, 1));
  ASSERT_TRUE(status.has_value());
  std::string why = QuorumRefusal(*status, {}, {});
  EXPECT_NE(why.find("the cluster 'lab' has no quorum (seen from pve-01)"), std::string::npos) << why;
  GateOptions bootstrap;
  bootstrap.bootstrap_single_node = true;
  EXPECT_NE(QuorumRefusal(*status, {}, bootstrap), "") << "bootstrap mode is for one node only";
}

TEST(QuorumGate, BootstrapModeAllowsALoneNodeWithoutQuorum) {
  Value lone = Value::array({{{"type", "cluster"}, {"name", "new"}, {"quorate", 0}, {"nodes", 1}},
                             {{"type", "node"}, {"name", "pve-01"}, {"online", 1}, {"local", 1}}});
  auto status = ParseClusterStatus(lone);
  ASSERT_TRUE(status.has_value());
  EXPECT_NE(QuorumRefusal(*status, {}, {}).find("--bootstrap-single-node"), std::string::npos);
  GateOptions bootstrap;
  bootstrap.bootstrap_single_node = true;
  EXPECT_EQ(QuorumRefusal(*status, {"pve-01"}, bootstrap), "");
}

TEST(QuorumGate, RefusesNodeLevelChangesOnAnIsolatedNode) {
  auto status = ParseClusterStatus(ThreeNodes(1, 0));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(QuorumRefusal(*status, {"pve-01", "pve-02"}, {}), "");
  std::string why = QuorumRefusal(*status, {"pve-01", "pve-03"}, {});
  EXPECT_NE(why.find("node 'pve-03' is not online in the quorate partition"), std::string::npos) << why;
  why = QuorumRefusal(*status, {"pve-09"}, {});
  EXPECT_NE(why.find("node 'pve-09' is not a member"), std::string::npos) << why;
}

TEST(ClusterStatus, MalformedEntriesAreErrorsNotCrashes) {
  EXPECT_FALSE(ParseClusterStatus(Value::object()).has_value());
  auto r = ParseClusterStatus(Value::array({{{"name", "x"}}}));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("without a type"), std::string::npos);
  EXPECT_FALSE(ParseClusterStatus(Value::array({{{"type", "node"}}})).has_value());
}

TEST(HaStatus, HealthyAndUnhealthyManagers) {
  Value healthy = Value::array({{{"id", "quorum"}, {"type", "quorum"}, {"status", "OK"}},
                                {{"id", "master"}, {"type", "master"}, {"status", "pve-01 (active, Sun Nov 22)"}}});
  EXPECT_EQ(HaProblem(healthy), "");
  Value no_quorum = Value::array({{{"id", "quorum"}, {"type", "quorum"}, {"status", "No quorum on node 'pve-03'!"}}});
  EXPECT_EQ(HaProblem(no_quorum), "HA manager: quorum No quorum on node 'pve-03'!");
  Value stale = Value::array({{{"id", "quorum"}, {"type", "quorum"}, {"status", "OK"}},
                              {{"id", "lrm:pve-02"}, {"type", "lrm"}, {"status", "pve-02 (old timestamp - dead?, x)"}}});
  EXPECT_NE(HaProblem(stale, "pve-02").find("lrm:pve-02"), std::string::npos);
  EXPECT_EQ(HaProblem(stale, "pve-01"), "") << "another node's dead LRM is that node's problem";
  Value dead_master = Value::array({{{"id", "quorum"}, {"type", "quorum"}, {"status", "OK"}},
                                    {{"id", "master"}, {"type", "master"}, {"status", "pve-03 (old timestamp - dead?)"}}});
  EXPECT_NE(HaProblem(dead_master, "pve-01").find("master"), std::string::npos);
}

}  // namespace
}  // namespace hainfra::safety

#undef CAPTURE_OR_SKIP
