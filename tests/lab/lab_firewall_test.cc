// The firewall's lock-out protection on real nodes (pvelab joined to pvesim): each node runs pvelab-firewall,
// which loads the rule set pvesim keeps in the lab's shared /etc/pve into the node's nftables. A rule set that
// would drop SSH is refused at validate; one that passes validate but cuts hainfra's SSH once applied (the
// declared management network is not where hainfra comes from) is rolled back by the commit confirmation, and
// the node takes fresh SSH logins again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "cli/apply_command.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class LabFirewall : public LabTest {
 protected:
  LabOptions Options() const override {
    LabOptions o;
    o.sim = true;
    return o;
  }

  void SetUp() override {
    if (!std::filesystem::exists("/usr/sbin/nft")) {
      GTEST_SKIP() << "nft (Debian's nftables) is not installed: pvelab cannot apply the firewall's rules "
                      "(.ci/install-deps test installs it)";
    }
    setenv("HAINFRA_FIREWALL_CONFIRM_SECONDS", "2", 1);
    LabTest::SetUp();
  }
  void TearDown() override {
    unsetenv("HAINFRA_FIREWALL_CONFIRM_SECONDS");
    LabTest::TearDown();
  }

  std::string FirewallLabSpec(const std::string& firewall) const {
    std::string yaml = R"(
cluster:
  name: hainfra-lab
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
nodes:
)";
    for (const std::string& node : lab_->Nodes()) {
      yaml += "  - { name: " + node + ", address: " + lab_->Address(node) + " }\n";
    }
    return yaml + "firewall:\n" + firewall;
  }

  CommandRun Apply(const hainfra::Spec& spec) const {
    return RunWithSession(spec, lab_->EnvLookup(), [&](const std::vector<ResourceKind*>& kinds, cli::Console& c) {
      return cli::RunApply(spec, kinds, E2eCluster::DefaultApply(), c);
    });
  }

  bool FirewallLoaded(const std::string& node) const {
    return lab_->Exec(node, "nft list tables").output.find("pvelab_fw") != std::string::npos;
  }
};

TEST_F(LabFirewall, ARuleSetDroppingSshIsRefusedAndOneThatCutsHainfraOffIsRolledBack) {
  for (const std::string& node : lab_->Nodes()) {
    ASSERT_EQ(lab_->Exec(node, "nohup pvelab-firewall </dev/null >/run/pvelab-firewall.log 2>&1 &").exit_code, 0);
  }
  const std::string management = lab_->Address(lab_->Nodes().front()) + "/24";

  // Refused at validate: a DROP ahead of everything (the nodes declare no network: `management` is given).
  auto dropping = LoadSpecForTest(FirewallLabSpec("  cluster:\n    enable: true\n    management: [" + management +
                                       "]\n    rules: [ { action: DROP, proto: tcp, dport: \"22\" } ]\n"),
                                  "spec.yaml");
  ASSERT_FALSE(dropping);
  EXPECT_THAT(dropping.error().message, HasSubstr("locks out: this rule (DROP) would drop SSH (tcp/22)"));

  // Passes validate (192.0.2.0/24 is declared and in the `management` set), but hainfra comes from the lab's
  // own network: once loaded, the rules drop its fresh SSH login, and the rule set is rolled back.
  auto wrong = LoadSpecForTest(FirewallLabSpec(R"(  cluster:
    enable: true
    policy_in: DROP
    management: [192.0.2.0/24]
  ipsets:
    - { name: management, entries: [ { cidr: 192.0.2.0/24 } ] }
)"),
                               "spec.yaml");
  ASSERT_TRUE(wrong) << wrong.error().message;
  CommandRun apply = Apply(*wrong);
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_THAT(apply.out + apply.err, HasSubstr("the previous rule set was restored and the nodes answer again"));
  const std::string& first = lab_->Nodes().front();
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return !FirewallLoaded(first); }, std::chrono::seconds(5)));
  EXPECT_EQ(lab_->Ssh(first, "true").exit_code, 0) << "a fresh SSH login works again";
  EXPECT_THAT(lab_->Exec(first, "cat /etc/pve/firewall/cluster.fw").output, Not(HasSubstr("enable: 1")));

  // The management network hainfra really comes from: applied, loaded, and SSH still works.
  auto right = LoadSpecForTest(FirewallLabSpec(R"(  cluster:
    enable: true
    policy_in: DROP
    management: [)" + management + R"(]
  ipsets:
    - { name: management, entries: [ { cidr: 192.0.2.0/24 }, { cidr: )" + management + R"( } ] }
)"),
                               "spec.yaml");
  ASSERT_TRUE(right) << right.error().message;
  apply = Apply(*right);
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_TRUE(FirewallLoaded(first));
  EXPECT_EQ(lab_->Ssh(first, "true").exit_code, 0);
}

}  // namespace
}  // namespace hainfra::testing
