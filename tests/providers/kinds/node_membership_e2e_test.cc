// node/<name> against pvesim: a declared spare node joins through its own API (root@pam ticket, the
// cluster's fingerprint), the next plan is empty; removal is planned as destructive, refused without
// --allow-destroy, and refused while the node is online with the by-hand steps.
#include <gtest/gtest.h>

#include <cstdlib>

#include "providers/kinds/node_membership.h"
#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {
namespace {

std::string Spec4(const std::string& pve03_extra = "") {
  return "cluster:\n  name: pvesim\n  api:\n    endpoint: https://10.0.0.11:8006\n    token: hainfra@pve!ci\n"
         "    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}\nnodes:\n"
         "  - { name: pve-01, address: 10.10.0.11 }\n  - { name: pve-02, address: 10.10.0.12 }\n"
         "  - { name: pve-03, address: 10.10.0.13" + pve03_extra + " }\n  - { name: pve-04, address: 10.10.0.14 }\n";
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
  E2E_START_OR_SKIP(cluster, WithSpare());
  auto spec = cluster->Load(Spec4(", state: absent"));
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

TEST(NodeEndpoints, ParsesTheList) {
  auto m = providers::ParseNodeEndpoints("pve-02=https://127.0.0.1:1,pve-04=https://127.0.0.1:2");
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.at("pve-04"), "https://127.0.0.1:2");
  EXPECT_TRUE(providers::ParseNodeEndpoints("").empty());
}

}  // namespace
}  // namespace hainfra::testing
