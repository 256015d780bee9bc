#include "providers/kinds/network.h"

#include <gtest/gtest.h>

#include "engine/spec/loader.h"
#include "providers/kinds/network_body.h"
#include "providers/kinds/vlan.h"

namespace hainfra::providers {
namespace {

Spec Load(const std::string& text) {
  auto loaded = spec::LoadSpecText(text, "spec.yaml");
  EXPECT_FALSE(HasErrors(loaded.diagnostics)) << loaded.diagnostics.front().ToString();
  return loaded.spec;
}

constexpr const char* kNetworkSpec = R"(
nodes:
  - name: pve-01
    address: 10.0.0.11
    network:
      - { iface: vmbr1, type: bridge, ports: [eno2], vlan_aware: true }
  - { name: pve-02, address: 10.0.0.12 }
vlans:
  - { name: research, zone: prod, bridge: vmbr1, tag: 20 }
)";

TEST(NetworkKind, DesiresOneObjectPerNodeThatDeclaresInterfaces) {
  KindDeps deps;
  NetworkKind kind(deps);
  const std::vector<Resource> desired = kind.Desired(Load(kNetworkSpec));
  ASSERT_EQ(desired.size(), 1u);
  EXPECT_EQ(desired[0].address.ToString(), "network/pve-01");
  EXPECT_EQ(desired[0].body["network"][0]["iface"], "vmbr1");
  EXPECT_EQ(kind.Scope(desired[0].body).node, "pve-01");
  EXPECT_TRUE(kind.traits().rolling);
  EXPECT_EQ(kind.traits().commit, CommitScope::kPerNode);
}

TEST(NetworkKind, RefusesToPlanOverChangesSomeoneElseStaged) {
  KindDeps deps;
  NetworkKind kind(deps);
  const Value envelope = {{"data", {{{"iface", "vmbr1"}, {"type", "bridge"}, {"bridge_ports", "eno2"}}}},
                          {"changes", "--- a\n+++ b\n@@ -1,1 +1,3 @@\n+auto vmbr9\n+iface vmbr9 inet manual\n"}};
  Observed observed;
  observed.body = ObservedNetworkBody("pve-01", envelope);
  Change change;
  FieldChange field;
  field.path = "network[vmbr1].vlan_aware";
  change.fields.push_back(field);
  auto status = kind.Review(Resource{}, observed, change);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("staged by someone else"), std::string::npos);
  EXPECT_NE(status.error().message.find("vmbr9"), std::string::npos);
}

TEST(NetworkKind, RefusesAnInterfaceTypeChange) {
  KindDeps deps;
  NetworkKind kind(deps);
  Observed observed;
  observed.body = ObservedNetworkBody("pve-01", {{"data", Value::array()}});
  Change change;
  FieldChange field;
  field.path = "network[eno2].type";
  field.before = "eth";
  field.after = "bridge";
  change.fields.push_back(field);
  ASSERT_TRUE(kind.Review(Resource{}, observed, change));
  EXPECT_FALSE(change.fields[0].refused.empty());
}

TEST(VlanKind, AVnetWaitsForTheNetworksThatCarryItsBridge) {
  KindDeps deps;
  VlanKind kind(deps);
  const std::vector<Resource> desired = kind.Desired(Load(kNetworkSpec));
  ASSERT_EQ(desired.size(), 1u);
  const auto refs = kind.References(desired[0].body);
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].ToString(), "network/pve-01");
  EXPECT_EQ(kind.traits().commit, CommitScope::kGlobal);
}

}  // namespace
}  // namespace hainfra::providers

namespace hainfra::providers {
namespace {

TEST(NetworkExport, DeclaresBridgesBondsVlansAndConfiguredNicsWithoutRestatingDefaults) {
  const Value observed = Value::array({
      {{"iface", "eno1"}, {"type", "eth"}, {"autostart", false}, {"comment", ""}, {"exists", true}},
      {{"iface", "eno2"}, {"type", "eth"}, {"cidr", "10.10.10.11/24"}, {"autostart", true}, {"comment", "corosync"}},
      {{"iface", "vmbr0"}, {"type", "bridge"}, {"ports", {"eno1"}}, {"vlan_aware", true}, {"vids", {"2-4094"}},
       {"cidr", "10.0.0.11/24"}, {"gateway", "10.0.0.1"}, {"autostart", true}, {"comment", ""}},
      {{"iface", "vmbr9"}, {"type", "bridge"}, {"ports", Value::array()}, {"vlan_aware", false}, {"autostart", false}},
      {{"iface", "ovs0"}, {"type", "OVSBridge"}, {"autostart", true}},
  });
  EXPECT_EQ(ExportedInterfaces(observed),
            Value::array({{{"iface", "eno2"}, {"type", "eth"}, {"cidr", "10.10.10.11/24"}, {"comment", "corosync"}},
                          {{"iface", "vmbr0"}, {"type", "bridge"}, {"ports", {"eno1"}}, {"vlan_aware", true},
                           {"vids", {"2-4094"}}, {"cidr", "10.0.0.11/24"}, {"gateway", "10.0.0.1"}},
                          {{"iface", "vmbr9"}, {"type", "bridge"}, {"autostart", false}}}));
}

}  // namespace
}  // namespace hainfra::providers

namespace hainfra::providers {
namespace {

TEST(NetworkExport, DeclaresAnAddressTwoInterfacesHoldOnTheLastOneOnly) {
  const Value observed = Value::array({
      {{"iface", "vmbr0"}, {"type", "bridge"}, {"ports", {"bond0"}}, {"cidr", "10.10.0.21/24"}, {"gateway", "10.10.0.1"}},
      {{"iface", "vmbr0.10"}, {"type", "vlan"}, {"cidr", "10.10.0.21/24"}, {"gateway", "10.10.0.1"}},
  });
  EXPECT_EQ(ExportedInterfaces(observed),
            Value::array({{{"iface", "vmbr0"}, {"type", "bridge"}, {"ports", {"bond0"}}},
                          {{"iface", "vmbr0.10"}, {"type", "vlan"}, {"cidr", "10.10.0.21/24"}, {"gateway", "10.10.0.1"}}}));
}

}  // namespace
}  // namespace hainfra::providers
