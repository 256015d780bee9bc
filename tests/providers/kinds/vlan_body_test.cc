#include "providers/kinds/vlan_body.h"

#include <gtest/gtest.h>

#include <fstream>

#include "providers/pve/sdn_pending.h"

namespace hainfra::providers {
namespace {

Value ReadCapture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  if (!in) return Value();
  return Value::parse(in);
}

TEST(VlanFromSdn, RealCapturesReadWithoutPhantomDifferencesAgainstTheirSpec) {
  const Value zones = ReadCapture("api-cluster-sdn-zones.json");
  const Value vnets = ReadCapture("api-cluster-sdn-vnets.json");
  const Value subnets = ReadCapture("api-cluster-sdn-vnets-vnet-subnets.json");
  if (zones.is_null() || vnets.is_null() || subnets.is_null()) GTEST_SKIP() << "shared fixtures not found";
  Value observed = VlanFromSdn(vnets[0], zones[1].value("bridge", ""), {subnets[0]});
  NormalizeVlan(observed);
  Value spec = {{"name", "lab"}, {"zone", "lab"}, {"bridge", "vmbr100"}, {"tag", "100"}, {"state", "present"},
                {"subnets", {{{"cidr", "10.10.100.0/24"}, {"snat", true}}}}};
  NormalizeVlan(spec);
  EXPECT_FALSE(SdnDiffers(spec, observed, {"name", "zone", "bridge", "tag"}));
  EXPECT_EQ(observed["subnets"], spec["subnets"]) << observed.dump();
  EXPECT_EQ(SubnetId("lab", "10.10.100.0/24"), subnets[0].value("subnet", ""));
}

TEST(VlanFromSdn, ReadsIsolatedPortsAndAliases) {
  const Value vnets = ReadCapture("api-cluster-sdn-vnets.json");
  if (vnets.is_null()) GTEST_SKIP() << "shared fixtures not found";
  const Value body = VlanFromSdn(vnets[1], "", {});
  EXPECT_EQ(body["isolate_ports"], true);
  EXPECT_EQ(body["alias"], "test1");
  EXPECT_EQ(body["vlan_aware"], false);
}

TEST(SubnetId, UsesTheNetworkAddress) {
  EXPECT_EQ(SubnetId("prod", "10.20.0.7/24"), "prod-10.20.0.0-24");
  Value body = {{"subnets", {{{"cidr", "10.20.0.7/24"}, {"gateway", "10.20.0.1"}, {"snat", 1}}}}};
  NormalizeVlan(body);
  EXPECT_EQ(body["subnets"][0]["cidr"], "10.20.0.0/24");
  EXPECT_EQ(body["subnets"][0]["snat"], true);
}

TEST(VnetParams, SpeaksProxmoxNames) {
  const Value params = VnetParams({{"name", "r"}, {"zone", "prod"}, {"tag", 20}, {"vlan_aware", false},
                                   {"isolate_ports", true}, {"alias", "research"}});
  EXPECT_EQ(params, (Value{{"zone", "prod"}, {"tag", 20}, {"vlanaware", 0}, {"isolate-ports", 1}, {"alias", "research"}}));
}

TEST(SplitSdnPending, SeparatesWhatRunsFromWhatTheNextApplyGives) {
  const Value item = {{"vnet", "a"}, {"zone", "z"}, {"tag", 10}, {"state", "changed"},
                      {"pending", {{"tag", 11}, {"alias", "deleted"}}}, {"alias", "x"}, {"digest", "d"}};
  const pve::SdnViews views = pve::SplitSdnPending(item);
  ASSERT_TRUE(views.running && views.pending);
  EXPECT_EQ((*views.running)["tag"], 10);
  EXPECT_EQ((*views.pending)["tag"], 11);
  EXPECT_FALSE(views.pending->contains("alias"));
  EXPECT_FALSE(views.running->contains("digest"));
  const pve::SdnViews fresh = pve::SplitSdnPending({{"vnet", "b"}, {"state", "new"}, {"zone", "z"}});
  EXPECT_FALSE(fresh.running);
  EXPECT_TRUE(fresh.pending);
}

}  // namespace
}  // namespace hainfra::providers
