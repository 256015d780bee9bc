#include "providers/node/package_unison.h"

#include <gtest/gtest.h>

#include "tests/testing/spec_testing.h"

namespace hainfra::node {
namespace {

std::vector<NodePackages> ThreeNodes() {
  return {
      {"pve-01", {{"pve-manager", "9.1.1"}, {"corosync", "3.1.9-pve2"}, {"chrony", "4.3-2"}}, ""},
      {"pve-02", {{"pve-manager", "9.1.2"}, {"corosync", "3.1.9-pve2"}, {"chrony", ""}}, ""},
      {"pve-03", {{"pve-manager", "9.1.1"}, {"corosync", "3.1.9-pve2"}, {"chrony", "4.3-2"}}, ""},
  };
}

TEST(PackageUnison, ReportsEveryPackageWhoseVersionDiffersWithEachNodesVersion) {
  UnisonReport report = CompareNodePackages(ThreeNodes());
  EXPECT_FALSE(report.in_unison());
  EXPECT_EQ(report.packages_compared, 3u);
  ASSERT_EQ(report.differences.size(), 2u);
  EXPECT_EQ(report.differences[0].package, "chrony");
  EXPECT_EQ(report.differences[0].versions.at("pve-02"), "");
  EXPECT_EQ(report.differences[1].package, "pve-manager");
  EXPECT_EQ(report.differences[1].versions.at("pve-02"), "9.1.2");
  EXPECT_EQ(report.differences[1].versions.at("pve-03"), "9.1.1");
}

TEST(PackageUnison, HumanFormGroupsNodesByVersion) {
  const std::string text = RenderUnisonText(CompareNodePackages(ThreeNodes()));
  EXPECT_NE(text.find("pve-manager:  9.1.1 on pve-01,pve-03  9.1.2 on pve-02\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chrony:  (not installed) on pve-02  4.3-2 on pve-01,pve-03\n"), std::string::npos) << text;
  EXPECT_NE(text.find("3 nodes, 3 packages compared: 2 differ"), std::string::npos) << text;
}

TEST(PackageUnison, JsonFormNamesPackagesAndNullForNotInstalled) {
  Value json = UnisonJson(CompareNodePackages(ThreeNodes()));
  EXPECT_FALSE(json["in_unison"].get<bool>());
  ASSERT_EQ(json["differences"].size(), 2u);
  EXPECT_EQ(json["differences"][0]["package"], "chrony");
  EXPECT_TRUE(json["differences"][0]["versions"]["pve-02"].is_null());
  EXPECT_EQ(json["nodes"], Value::array({"pve-01", "pve-02", "pve-03"}));
}

TEST(PackageUnison, NodesInStepAreInUnisonAndUnreadableNodesAreNamed) {
  std::vector<NodePackages> nodes = ThreeNodes();
  nodes[1] = {"pve-02", {}, "connection refused"};
  UnisonReport report = CompareNodePackages(nodes);
  EXPECT_TRUE(report.differences.empty());
  EXPECT_FALSE(report.in_unison());
  ASSERT_EQ(report.unreadable.size(), 1u);
  EXPECT_EQ(report.unreadable[0], "pve-02: connection refused");
  EXPECT_NE(RenderUnisonText(report).find("in unison, 1 nodes unreadable"), std::string::npos);
}

TEST(PackageUnison, BaselinesNameTheirPackages) {
  spec::LoadResult loaded = testing::LoadYaml(R"(
cluster: { name: lab, api: { endpoint: "https://10.0.0.11:8006", token: "hainfra@pve!ci", secret: x } }
baselines:
  - { name: base-a, packages: { present: [chrony], absent: [systemd-timesyncd] } }
  - { name: base-b, packages: { versions: { pve-manager: 9.1.1 }, present: [chrony] } }
nodes: [ { name: pve-01, address: 10.0.0.11, baseline: base-a } ]
)");
  ASSERT_FALSE(HasErrors(loaded.diagnostics));
  EXPECT_EQ(BaselinePackageNames(loaded.spec),
            (std::vector<std::string>{"chrony", "pve-manager", "systemd-timesyncd"}));
}

}  // namespace
}  // namespace hainfra::node
