#include "providers/pve/network_interfaces.h"

#include <gtest/gtest.h>

#include <fstream>

#include "providers/kinds/network_body.h"
#include "providers/pve/ip_text.h"
#include "providers/pve/pending_changes.h"

namespace hainfra::pve {
namespace {

Value ReadCapture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  if (!in) return Value();
  return Value::parse(in);
}

Value Find(const Value& list, const std::string& iface) {
  for (const Value& i : list) {
    if (i.value("iface", "") == iface) return i;
  }
  return Value();
}

TEST(InterfaceFromApi, ReadsARealVlanAwareBridgeIntoTheSpecShape) {
  const Value capture = ReadCapture("api-nodes-node-network-vlan.json");
  if (capture.is_null()) GTEST_SKIP() << "shared fixtures not found under " << HAINFRA_SHARED_DIR;
  Value bridge = InterfaceFromApi(Find(capture["data"], "vmbr2"));
  NormalizeInterface(bridge);
  EXPECT_EQ(bridge["type"], "bridge");
  EXPECT_EQ(bridge["ports"], Value::array({"enp8s0"}));
  EXPECT_EQ(bridge["vlan_aware"], true);
  EXPECT_EQ(bridge["vids"], Value::array({"2-4094"}));
  EXPECT_EQ(bridge["cidr"], "192.168.1.10/24");
  EXPECT_EQ(bridge["cidr6"], "fd66:5ac3:eeaf:3200::10/64");
  EXPECT_EQ(bridge["mtu"], 1500);
  EXPECT_EQ(bridge["comment"], "comment");  // Proxmox's trailing newline is not part of the comment
  EXPECT_EQ(bridge["autostart"], true);
  EXPECT_FALSE(bridge.contains("active"));
}

TEST(InterfaceFromApi, ARealCaptureReadsWithoutPhantomDifferencesAgainstItsOwnSpec) {
  const Value capture = ReadCapture("api-nodes-node-network-vlan.json");
  if (capture.is_null()) GTEST_SKIP() << "shared fixtures not found under " << HAINFRA_SHARED_DIR;
  Value observed = InterfaceFromApi(Find(capture["data"], "vmbr0.2"));
  NormalizeInterface(observed);
  // As a person writes it: another spelling of the IPv6 address, no trailing newline, strings for numbers.
  Value spec = {{"iface", "vmbr0.2"}, {"type", "vlan"},       {"cidr", "192.168.0.10/24"},
                {"cidr6", "FD66:5AC3:EEAF:0::10/64"},          {"comment", "comment"}, {"autostart", "1"}};
  NormalizeInterface(spec);
  EXPECT_FALSE(providers::DiffersOnWritten(spec, observed)) << spec.dump() << "\n" << observed.dump();
  EXPECT_EQ(observed["vlan_raw_device"], "vmbr0");
  EXPECT_EQ(observed["vlan_id"], 2);
}

TEST(InterfaceFromApi, APhysicalNicIsMarkedExisting) {
  const Value capture = ReadCapture("api-nodes-node-network.json");
  if (capture.is_null()) GTEST_SKIP() << "shared fixtures not found under " << HAINFRA_SHARED_DIR;
  const Value nic = InterfaceFromApi(Find(capture["data"], "enp0s31f6"));
  EXPECT_EQ(nic["type"], "eth");
  EXPECT_EQ(nic["exists"], true);
}

TEST(NormalizeInterface, SortsPortsAndMergesVlanRanges) {
  Value iface = {{"iface", "vmbr1"}, {"type", "bridge"}, {"ports", {"eno3", "eno2 eno3"}},
                 {"vids", {"30-40", "10", "11", "35-50"}}, {"gateway", "10.0.0.001"}};
  NormalizeInterface(iface);
  EXPECT_EQ(iface["ports"], Value::array({"eno2", "eno3"}));
  EXPECT_EQ(iface["vids"], Value::array({"10-11", "30-50"}));
  EXPECT_EQ(iface["gateway"], "10.0.0.001");  // not an address inet_pton accepts: left as written
}

TEST(InterfaceParams, SpeaksProxmoxNamesAndLeavesDottedVlanIdsToTheName) {
  const Value iface = {{"iface", "eno1.30"},       {"type", "vlan"}, {"vlan_id", 30}, {"vlan_raw_device", "eno1"},
                       {"cidr", "10.30.0.5/24"},   {"mtu", 9000},    {"autostart", true}, {"comment", "storage"}};
  const Value params = InterfaceParams(iface);
  EXPECT_EQ(params["type"], "vlan");
  EXPECT_EQ(params["cidr"], "10.30.0.5/24");
  EXPECT_EQ(params["autostart"], 1);
  EXPECT_EQ(params["comments"], "storage");
  EXPECT_FALSE(params.contains("vlan-id"));
  EXPECT_FALSE(params.contains("iface"));
  const Value bridge = {{"iface", "vmbr1"}, {"type", "bridge"}, {"ports", {"eno2", "eno3"}}, {"vlan_aware", true}};
  EXPECT_EQ(InterfaceParams(bridge)["bridge_ports"], "eno2 eno3");
  EXPECT_EQ(InterfaceParams(bridge)["bridge_vlan_aware"], 1);
}

TEST(RemovedParams, NamesWhatTheNewSideNoLongerHas) {
  const Value before = {{"type", "bridge"}, {"cidr", "10.0.0.1/24"}, {"comment", "x"}, {"mtu", 9000}};
  const Value after = {{"type", "bridge"}, {"comment", ""}, {"mtu", 9000}};
  EXPECT_EQ(RemovedParams(before, after), (std::vector<std::string>{"cidr", "comments"}));
}

TEST(ParsePendingChanges, NamesTheStanzasADiffTouches) {
  const std::string diff =
      "--- /etc/network/interfaces\n+++ /etc/network/interfaces.new\n@@ -10,6 +10,12 @@\n"
      " iface vmbr0 inet static\n \taddress 10.0.0.11/24\n \tgateway 10.0.0.1\n"
      "+\n+auto vmbr1\n+iface vmbr1 inet manual\n+\tbridge-ports eno2\n"
      "@@ -30,3 +36,3 @@\n iface eno3 inet manual\n-\tmtu 1500\n+\tmtu 9000\n";
  const PendingChanges pending = ParsePendingChanges(diff);
  EXPECT_EQ(pending.interfaces, (std::set<std::string>{"vmbr1", "eno3"}));
  EXPECT_FALSE(pending.unattributed);
  EXPECT_TRUE(ParsePendingChanges("").interfaces.empty());
}

TEST(CanonicalCidr, SpellsAddressesOneWay) {
  EXPECT_EQ(CanonicalCidr("FD00:0:0::1/064"), "fd00::1/64");
  EXPECT_EQ(CanonicalCidr("10.0.0.1/24"), "10.0.0.1/24");
  EXPECT_EQ(CanonicalCidr("10.0.0.1"), std::nullopt);
  EXPECT_EQ(CanonicalCidr("10.0.0.1/33"), std::nullopt);
  EXPECT_TRUE(InNetwork("10.0.0.200", "10.0.0.0/24"));
  EXPECT_FALSE(InNetwork("10.0.1.1", "10.0.0.0/24"));
  EXPECT_EQ(CanonicalVlanList({"2-4094"}), (std::vector<std::string>{"2-4094"}));
  EXPECT_EQ(CanonicalVlanList({"5000"}), std::nullopt);
}

}  // namespace
}  // namespace hainfra::pve
