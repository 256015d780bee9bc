// node_settings/<node> (nodes[].dns, timezone, hosts): the hosts block hainfra owns beside the lines it does
// not, and end to end against pvesim: only the declared parts are read and written, an empty second plan,
// a line added by hand kept, drift of the owned block.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "providers/kinds/node_settings.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::UnorderedElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(NodeSettingsHosts, TheBlockIsAppendedAndTheOtherLinesKept) {
  const std::string hosts = "127.0.0.1 localhost\n10.0.0.11 pve-01\n";
  const Value entries = Value::array({Value{{"ip", "10.0.0.50"}, {"names", {"nas", "nas.lab"}}}});
  const std::string written = providers::WithHostsBlock(hosts, entries);
  EXPECT_EQ(written.substr(0, hosts.size()), hosts);
  EXPECT_THAT(written, HasSubstr("\n10.0.0.50 nas nas.lab\n"));
  EXPECT_EQ(providers::HostsBlockEntries(written), entries);
}

TEST(NodeSettingsHosts, TheBlockIsReplacedInPlaceAndRemovedWhenEmpty) {
  const Value first = Value::array({Value{{"ip", "10.0.0.50"}, {"names", {"nas"}}}});
  const std::string once = providers::WithHostsBlock("127.0.0.1 localhost\n", first) + "10.9.9.9 added-later\n";
  const Value second = Value::array({Value{{"ip", "10.0.0.51"}, {"names", {"nas2"}}}});
  const std::string twice = providers::WithHostsBlock(once, second);
  EXPECT_EQ(providers::HostsBlockEntries(twice), second);
  EXPECT_LT(twice.find("nas2"), twice.find("added-later"));  // the block stays where it was
  const std::string removed = providers::WithHostsBlock(twice, Value::array());
  EXPECT_EQ(removed, "127.0.0.1 localhost\n10.9.9.9 added-later\n");
}

std::string NodeSettingsSpec(const std::string& pve01) {
  return ClusterHead() + R"(
nodes:
  - { name: pve-01, address: 10.10.0.11, )" + pve01 + R"( }
  - { name: pve-02, address: 10.10.0.12, timezone: Europe/Berlin }
  - { name: pve-03, address: 10.10.0.13 }
)";
}

const char* kPve01Settings =
    "dns: { search: lab.example.com, servers: [10.10.0.1, 9.9.9.9] }, "
    "hosts: [ { ip: 10.10.0.50, names: [nas, nas.lab.example.com] } ]";

TEST(NodeSettingsE2e, WritesTheDeclaredPartsThenPlansNothing) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(NodeSettingsSpec(kPve01Settings));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), UnorderedElementsAre("update node_settings/pve-01", "update node_settings/pve-02"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  PvesimClient client = cluster->Client();
  nlohmann::json dns = client.Get("/nodes/pve-01/dns").data();
  EXPECT_EQ(dns.value("search", ""), "lab.example.com");
  EXPECT_EQ(dns.value("dns2", ""), "9.9.9.9");
  EXPECT_EQ(client.Get("/nodes/pve-02/time").data().value("timezone", ""), "Europe/Berlin");
  const std::string hosts = client.Get("/nodes/pve-01/hosts").data().value("data", "");
  EXPECT_THAT(hosts, HasSubstr("127.0.0.1 localhost"));  // the installer's lines stay
  EXPECT_THAT(hosts, HasSubstr("10.10.0.50 nas nas.lab.example.com"));
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(NodeSettingsE2e, ALineAddedByHandIsKeptAndTheOwnedBlockDriftIsCorrected) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(NodeSettingsSpec(kPve01Settings));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  PvesimClient client = cluster->Client();
  nlohmann::json hosts = client.Get("/nodes/pve-01/hosts").data();
  std::string data = hosts.value("data", "");
  // Someone adds a line of their own (not drift) and edits hainfra's entry (drift).
  data += "192.168.1.9 printer\n";
  data.replace(data.find("10.10.0.50 nas "), 15, "10.10.0.99 nas ");
  ApiResult post = client.Post("/nodes/pve-01/hosts", {{"data", data}, {"digest", hosts.value("digest", "")}});
  ASSERT_EQ(post.status, 200) << post.raw;
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("node_settings/pve-01"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  const std::string after = client.Get("/nodes/pve-01/hosts").data().value("data", "");
  EXPECT_THAT(after, HasSubstr("192.168.1.9 printer"));
  EXPECT_THAT(after, HasSubstr("10.10.0.50 nas"));
  EXPECT_EQ(after.find("10.10.0.99"), std::string::npos);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);
}

}  // namespace
}  // namespace hainfra::testing
