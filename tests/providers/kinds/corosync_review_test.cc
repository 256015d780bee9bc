// The corosync kind's review: a declared node that corosync.conf does not list yet is the join's (node kind),
// so its links plan no corosync change; a member's changed address still does.
#include <gtest/gtest.h>

#include "engine/plan/diff.h"
#include "providers/kinds/corosync.h"

namespace hainfra::providers {
namespace {

Value Body(const Value& nodes) { return Value{{"nodes", nodes}}; }

Change Review(const Value& desired_nodes, const Value& observed_nodes) {
  KindDeps deps;  // Review is pure: no transport is touched
  auto kind = MakeCorosyncKind(deps);
  Resource desired;
  desired.address = {"corosync", "lab"};
  desired.body = Body(desired_nodes);
  Observed observed{{"corosync", "lab"}, Body(observed_nodes), "v1", false};
  Diagnostics diagnostics;
  Change change = plan::Diff(*kind, &desired, &observed, plan::DiffOptions{false}, diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  return change;
}

const Value kMembers = {{"pve-01", {{"link0", "10.1.10.11"}}}, {"pve-02", {{"link0", "10.1.10.12"}}}};

TEST(CorosyncReview, ADeclaredNodeNotInCorosyncConfIsLeftToTheJoin) {
  Value declared = kMembers;
  declared["pve-04"] = {{"link0", "10.1.10.14"}};
  Change change = Review(declared, kMembers);
  EXPECT_EQ(change.action, Action::kNoOp);
  EXPECT_TRUE(change.fields.empty());
}

TEST(CorosyncReview, AMembersChangedAddressIsStillAChangeBesideAJoiningNode) {
  Value declared = kMembers;
  declared["pve-02"]["link0"] = "10.1.10.52";
  declared["pve-04"] = {{"link0", "10.1.10.14"}};
  Change change = Review(declared, kMembers);
  EXPECT_EQ(change.action, Action::kUpdate);
  ASSERT_EQ(change.fields.size(), 1u);
  EXPECT_EQ(change.fields[0].path, "nodes[pve-02].link0");
  EXPECT_NE(change.reason.find("node/pve-04 joins with its links"), std::string::npos) << change.reason;
}

}  // namespace
}  // namespace hainfra::providers
