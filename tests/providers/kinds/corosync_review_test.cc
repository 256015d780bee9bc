// The corosync kind's review: a declared node that corosync.conf does not list yet is the join's (node kind),
// so its links plan no corosync change; a member's changed address still does.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engine/plan/diff.h"
#include "providers/kinds/corosync.h"
#include "providers/kinds/corosync_rollout.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

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

// The diff of a member whose declared nodeid or votes differ from corosync.conf, with its diagnostics.
Change ReviewIds(const Value& desired_nodes, const Value& observed_nodes, Diagnostics& diagnostics) {
  KindDeps deps;
  auto kind = MakeCorosyncKind(deps);
  Resource desired;
  desired.address = {"corosync", "lab"};
  desired.body = Body(desired_nodes);
  desired.locations["/nodes/pve-02/nodeid"] = Location{"spec.yaml", 9, 40};
  Observed observed{{"corosync", "lab"}, Body(observed_nodes), "v1", false};
  return plan::Diff(*kind, &desired, &observed, plan::DiffOptions{false}, diagnostics);
}

const Value kMembersWithIds = {{"pve-01", {{"link0", "10.1.10.11"}, {"votes", 1}, {"nodeid", 1}}},
                               {"pve-02", {{"link0", "10.1.10.12"}, {"votes", 1}, {"nodeid", 2}}}};

TEST(CorosyncReview, AMembersChangedNodeidIsRefusedAtItsLine) {
  Value declared = kMembersWithIds;
  declared["pve-02"]["nodeid"] = 7;
  Diagnostics diagnostics;
  ReviewIds(declared, kMembersWithIds, diagnostics);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].severity, Severity::kError);
  EXPECT_EQ(diagnostics[0].where.line, 9);
  EXPECT_NE(diagnostics[0].message.find("cannot change the nodeid of a member (2 in corosync.conf)"), std::string::npos)
      << diagnostics[0].message;
}

TEST(CorosyncReview, AMembersChangedVotesAreAnUpdate) {
  Value declared = kMembersWithIds;
  declared["pve-02"]["votes"] = 2;
  Diagnostics diagnostics;
  Change change = ReviewIds(declared, kMembersWithIds, diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_EQ(change.action, Action::kUpdate);
  ASSERT_EQ(change.fields.size(), 1u);
  EXPECT_EQ(change.fields[0].path, "nodes[pve-02].votes");
}

TEST(CorosyncReview, AJoiningNodesNodeidIsTheJoinsNotARefusal) {
  Value declared = kMembersWithIds;
  declared["pve-04"] = {{"link0", "10.1.10.14"}, {"nodeid", 9}};
  Diagnostics diagnostics;
  Change change = ReviewIds(declared, kMembersWithIds, diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_EQ(change.action, Action::kNoOp);
}

}  // namespace
}  // namespace hainfra::providers

namespace hainfra::providers {
namespace {

constexpr const char* kExportCorosyncConf = R"(logging {
  debug: off
}
nodelist {
  node {
    name: pve-01
    nodeid: 1
    quorum_votes: 1
    ring0_addr: 10.10.10.11
    ring1_addr: 10.20.20.11
  }
  node {
    name: pve-02
    nodeid: 2
    quorum_votes: 2
    ring0_addr: 10.10.10.12
    ring1_addr: 10.20.20.12
  }
}
totem {
  cluster_name: lab
  config_version: 7
  token: 3000
  version: 2
  interface {
    linknumber: 0
    knet_link_priority: 20
  }
  interface {
    linknumber: 1
  }
}
)";

TEST(CorosyncExport, WritesTheClustersTotemAndLinksAndVotesOtherThanOne) {
  auto root = pve::ParseCorosyncConf(kExportCorosyncConf);
  ASSERT_TRUE(root) << root.error().message;
  auto view = pve::ReadCorosyncView(*root);
  ASSERT_TRUE(view) << view.error().message;
  // pve-01's eno2 holds its link0 address; nothing names link1's network, so the addresses do.
  std::map<std::string, Value> interfaces = {
      {"pve-01", Value::array({{{"iface", "eno2"}, {"type", "eth"}, {"cidr", "10.10.10.11/24"}}})}};
  std::vector<ExportPart> parts = CorosyncExportParts(*view, interfaces);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].section, "cluster");
  EXPECT_EQ(parts[0].name, "lab");
  EXPECT_EQ(parts[0].body, (Value{{"corosync",
                                   {{"totem", {{"token", 3000}}},
                                    {"links", {{{"id", 0}, {"network", "10.10.10.0/24"}, {"priority", 20}},
                                               {{"id", 1}, {"network", "10.20.20.8/29"}}}}}}}));
  EXPECT_EQ(parts[1].section, "node");
  EXPECT_EQ(parts[1].name, "pve-02");
  EXPECT_EQ(parts[1].body, (Value{{"corosync", {{"votes", 2}}}}));
}

TEST(CorosyncExport, NamesTheSmallestNetworkHoldingEveryAddress) {
  EXPECT_EQ(CommonNetwork({"10.0.0.11", "10.0.0.13"}), "10.0.0.8/29");
  EXPECT_EQ(CommonNetwork({"10.0.0.11"}), "10.0.0.11/32");
  EXPECT_EQ(CommonNetwork({"fd00::11", "fd00::12"}), "fd00::10/126");
  EXPECT_EQ(CommonNetwork({"10.0.0.11", "fd00::12"}), "");
  EXPECT_EQ(NetworkOfCidr("10.20.20.11/24"), "10.20.20.0/24");
  EXPECT_EQ(NetworkOfCidr("fd00:1::5/64"), "fd00:1::/64");
  EXPECT_EQ(NetworkOfCidr("10.20.20.11"), "");
}

}  // namespace
}  // namespace hainfra::providers
// The command that writes /etc/pve/corosync.conf, run here with sh on a scratch folder: a copy that arrived
// whole is moved into place; one cut short (an SSH session lost mid-transfer ends its input early, which
// `cat` cannot tell from a complete one) is removed and the file is left as it was.
namespace hainfra::testing {
namespace {

// Runs argv with `input` on its stdin; returns its exit status.
int RunCorosyncWrite(const TempDir& dir, const std::vector<std::string>& argv, const std::string& input) {
  WriteText(dir.File("stdin"), input);
  std::vector<std::string> wrapped = {"sh", "-c", "f=$1; shift; exec \"$@\" < \"$f\"", "wrap", dir.File("stdin")};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return RunProcess(wrapped).exit_status;
}

TEST(CorosyncConfWrite, AWholeCopyIsMovedIntoPlace) {
  TempDir dir("corosync-write");
  WriteText(dir.File("corosync.conf"), "old\n");
  const std::string content = "totem {\n  version: 2\n}\n";
  EXPECT_EQ(RunCorosyncWrite(dir, providers::WriteCorosyncConfArgv(content, dir.File("corosync.conf")), content), 0);
  EXPECT_EQ(ReadText(dir.File("corosync.conf")), content);
  EXPECT_FALSE(std::filesystem::exists(dir.File("corosync.conf.new")));
}

TEST(CorosyncConfWrite, ACopyCutShortLeavesTheFileAsItWasAndNoCopyBehind) {
  TempDir dir("corosync-write");
  WriteText(dir.File("corosync.conf"), "old\n");
  const std::string content = "totem {\n  version: 2\n}\n";
  const auto argv = providers::WriteCorosyncConfArgv(content, dir.File("corosync.conf"));
  EXPECT_EQ(RunCorosyncWrite(dir, argv, content.substr(0, 10)), 94);
  EXPECT_EQ(ReadText(dir.File("corosync.conf")), "old\n");
  EXPECT_FALSE(std::filesystem::exists(dir.File("corosync.conf.new")));
  // Same size, other bytes: refused too.
  EXPECT_EQ(RunCorosyncWrite(dir, argv, std::string(content.size(), 'x')), 94);
  EXPECT_EQ(ReadText(dir.File("corosync.conf")), "old\n");
}

}  // namespace
}  // namespace hainfra::testing
