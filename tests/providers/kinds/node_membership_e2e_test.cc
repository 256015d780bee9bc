// node/<name> against pvesim: a declared spare node joins through its own API (root@pam ticket, the
// cluster's fingerprint), the next plan is empty; removal (a member the spec marks absent) is planned as
// destructive with Proxmox's by-hand steps, refused without --allow-destroy, refused while the node is online,
// and done only once it is offline; a member the spec leaves out is not managed.
#include <gtest/gtest.h>

#include <cstdlib>

#include "providers/kinds/node_membership.h"
#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {
namespace {

// The pvesim cluster with pve-01 and pve-02 declared, then `more` node lines.
std::string Spec2(const std::string& more = "") {
  return "cluster:\n  name: pvesim\n  api:\n    endpoint: https://10.0.0.11:8006\n    token: hainfra@pve!ci\n"
         "    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}\nnodes:\n"
         "  - { name: pve-01, address: 10.10.0.11 }\n  - { name: pve-02, address: 10.10.0.12 }\n" + more;
}

// Every member and the spare node pve-04.
std::string Spec4() {
  return Spec2("  - { name: pve-03, address: 10.10.0.13 }\n  - { name: pve-04, address: 10.10.0.14 }\n");
}

PvesimOptions WithSpare() {
  PvesimOptions o;
  o.args = {"--spare-nodes", "pve-04", "--node-ports"};
  return o;
}

TEST(NodeMembershipE2e, ADeclaredSpareNodeJoinsThroughItsOwnApi) {
  E2E_START_OR_SKIP(cluster, WithSpare());
  ASSERT_TRUE(cluster->sim().env().contains("PVESIM_NODE_ENDPOINTS"));
  setenv("HAINFRA_NODE_ENDPOINTS", cluster->sim().env().at("PVESIM_NODE_ENDPOINTS").c_str(), 1);
  auto spec = cluster->Load(Spec4());
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u);
  EXPECT_EQ(plan->steps[0].change.address.ToString(), "node/pve-04");
  EXPECT_EQ(plan->steps[0].change.action, Action::kCreate);

  CommandRun run = cluster->RunApply(*spec);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  auto nodes = cluster->Client().Get("/cluster/config/nodes");
  ASSERT_EQ(nodes.status, 200) << nodes.raw;
  bool listed = false;
  for (const Value& n : nodes.data()) listed = listed || n.value("name", n.value("node", "")) == "pve-04";
  EXPECT_TRUE(listed) << nodes.raw;
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_TRUE(again->empty()) << again->steps.size() << " steps after the join";
  unsetenv("HAINFRA_NODE_ENDPOINTS");
}

TEST(NodeMembershipE2e, RemovalIsPlannedWithTheByHandStepsAndRefusedWhileOnline) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(Spec2("  - { name: pve-03, address: 10.10.0.13, state: absent }\n"));
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const Step* removal = nullptr;
  for (const Step& s : plan->steps) {
    if (s.change.address.ToString() == "node/pve-03") removal = &s;
  }
  ASSERT_NE(removal, nullptr);
  EXPECT_EQ(removal->change.action, Action::kDelete);
  EXPECT_TRUE(removal->change.destructive);
  EXPECT_TRUE(removal->change.reason.starts_with("state: absent; removing a node is never automatic"))
      << removal->change.reason;

  CommandRun refused = cluster->RunApply(*spec);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("--allow-destroy"), std::string::npos) << refused.err;
  cli::ApplyCommandOptions destroy = E2eCluster::DefaultApply();
  destroy.allow_destroy = true;
  CommandRun online = cluster->RunApply(*spec, destroy);
  EXPECT_EQ(online.exit_code, 1);
  EXPECT_NE((online.out + online.err).find("node/pve-03 is online"), std::string::npos) << online.out << online.err;
  EXPECT_NE((online.out + online.err).find("pvecm delnode pve-03"), std::string::npos) << "the by-hand steps";
}

bool Listed(E2eCluster& cluster, const std::string& node) {
  auto nodes = cluster.Client().Get("/cluster/config/nodes");
  bool listed = false;
  for (const Value& n : nodes.data()) listed = listed || n.value("name", n.value("node", "")) == node;
  return listed;
}

TEST(NodeMembershipE2e, AMemberTheSpecLeavesOutIsNotManaged) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(Spec2());  // pve-03 is a member the spec does not name
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << plan->steps.size() << " steps";
}

TEST(NodeMembershipE2e, AnAbsentMemberShowsInThePlanWithTheByHandSteps) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(Spec2("  - { name: pve-03, address: 10.10.0.13, state: absent }\n"));
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  CommandRun shown = cluster->RunPlan(*spec);
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  for (const char* step : {"power pve-03 off", "`pvecm delnode pve-03`", "/etc/pve/nodes/pve-03/qemu-server",
                           "`rm -rf /etc/pve/nodes/pve-03`", "`pvecm updatecerts`", "--allow-destroy"}) {
    EXPECT_NE(shown.out.find(step), std::string::npos) << "the plan says: " << step << "\n" << shown.out;
  }
}

TEST(NodeMembershipE2e, AnAbsentMemberIsNeverRemovedWithoutAllowDestroy) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(Spec2("  - { name: pve-03, address: 10.10.0.13, state: absent }\n"));
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  ASSERT_EQ(cluster->Client().Control("POST", "/nodes/pve-03/offline").status, 200);
  CommandRun refused = cluster->RunApply(*spec);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("delete node/pve-03"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--allow-destroy"), std::string::npos) << refused.err;
  EXPECT_TRUE(Listed(*cluster, "pve-03")) << "still a member";
}

TEST(NodeMembershipE2e, AnAbsentMemberIsRemovedOnlyOnceOffline) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(Spec2("  - { name: pve-03, address: 10.10.0.13, state: absent }\n"));
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  cli::ApplyCommandOptions destroy = E2eCluster::DefaultApply();
  destroy.allow_destroy = true;
  CommandRun online = cluster->RunApply(*spec, destroy);
  EXPECT_EQ(online.exit_code, 1);
  EXPECT_NE((online.out + online.err).find("node/pve-03 is online, so it is not removed"), std::string::npos)
      << online.out << online.err;
  EXPECT_TRUE(Listed(*cluster, "pve-03"));

  ASSERT_EQ(cluster->Client().Control("POST", "/nodes/pve-03/offline").status, 200);
  CommandRun removed = cluster->RunApply(*spec, destroy);
  ASSERT_EQ(removed.exit_code, 0) << removed.out << removed.err;
  EXPECT_FALSE(Listed(*cluster, "pve-03"));
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_TRUE(again->empty()) << again->steps.size() << " steps after the removal";
}

TEST(NodeEndpoints, ParsesTheList) {
  auto m = providers::ParseNodeEndpoints("pve-02=https://127.0.0.1:1,pve-04=https://127.0.0.1:2");
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.at("pve-04"), "https://127.0.0.1:2");
  EXPECT_TRUE(providers::ParseNodeEndpoints("").empty());
}

}  // namespace
}  // namespace hainfra::testing
