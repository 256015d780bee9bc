// The corosync kind against real corosync (pvelab joined to pvesim): a link address change on a 3-node
// cluster rolled out one link at a time with quorum kept at every step (watched on every node throughout),
// the next plan empty, and a link change that cannot work rolled back.
#include <gtest/gtest.h>

#include <cstdlib>

#include "providers/pve/corosync_cfgtool.h"
#include "tests/testing/lab_commands.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

class LabCorosyncKind : public LabTest {
 protected:
  LabOptions Options() const override {
    LabOptions o;
    o.sim = true;
    return o;
  }

  // "10.S.10" of an address "10.S.10.11".
  static std::string Prefix(const std::string& address) { return address.substr(0, address.rfind('.')); }

  // The spec: the lab's nodes, with link0 addresses from `link0` (node -> address; default the lab's own).
  std::string SpecText(const std::map<std::string, std::string>& link0 = {}, const std::string& totem = "") const {
    std::string text = "cluster:\n  name: hainfra-lab\n  api:\n    endpoint: https://10.0.0.11:8006\n"
                       "    token: hainfra@pve!ci\n    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}\n"
                       "  corosync:\n" + totem + "    links:\n      - { id: 0, network: " +
                       Prefix(lab_->Link0("pve-01")) + ".0/24 }\n      - { id: 1, network: " +
                       Prefix(lab_->Link1("pve-01")) + ".0/24 }\nnodes:\n";
    for (const std::string& node : lab_->Nodes()) {
      std::string l0 = link0.contains(node) ? link0.at(node) : lab_->Link0(node);
      text += "  - name: " + node + "\n    address: " + lab_->Address(node) + "\n    corosync: { link0: " + l0 +
              ", link1: " + lab_->Link1(node) + " }\n";
    }
    return text;
  }

  Result<Spec> Load(const std::string& text) const { return LoadSpecForTest(text, "spec.yaml"); }

  CommandRun Apply(const Spec& spec) const { return LabApply(*lab_, spec); }
  CommandRun Drift(const Spec& spec) const { return LabDrift(*lab_, spec); }
  Result<Plan> MakePlan(const Spec& spec) const { return LabPlan(*lab_, spec); }

  // Link `link`'s address in NODE's running corosync.
  std::string RunningAddress(const std::string& node, int link) const {
    LabCommand c = lab_->Exec(node, "corosync-cfgtool -s");
    auto status = pve::ParseCfgtoolStatus(c.output);
    if (!status || !status->links.contains(link)) return "(" + c.output + ")";
    return status->links.at(link).address;
  }
};

TEST_F(LabCorosyncKind, TheLabsOwnCorosyncPlansEmpty) {
  auto spec = Load(SpecText());
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  auto plan = MakePlan(*spec);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_TRUE(plan->empty()) << plan->steps.size() << " steps";
}

TEST_F(LabCorosyncKind, ALinkAddressChangeKeepsQuorumOnEveryNodeThroughout) {
  std::map<std::string, std::string> moved;
  int n = 0;
  for (const std::string& node : lab_->Nodes()) {
    moved[node] = Prefix(lab_->Link0(node)) + "." + std::to_string(51 + n++);
    ASSERT_EQ(lab_->Exec(node, "ip addr add " + moved[node] + "/24 dev eth1").exit_code, 0);
  }
  auto spec = Load(SpecText(moved));
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  auto plan = MakePlan(*spec);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u);

  QuorumWatch watch(*lab_);
  CommandRun ran = Apply(*spec);
  watch.Stop();
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_EQ(watch.Lost(), "") << "quorum lost during the change (" << watch.Samples() << " samples)";
  EXPECT_GT(watch.Samples(), 3);
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_EQ(RunningAddress(node, 0), moved[node]) << node;
    EXPECT_EQ(RunningAddress(node, 1), lab_->Link1(node)) << node;
  }
  auto again = MakePlan(*spec);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_TRUE(again->empty()) << again->steps.size() << " steps after apply";
}

TEST_F(LabCorosyncKind, ALinkChangeThatCannotConnectIsRolledBack) {
  setenv("HAINFRA_COROSYNC_VERIFY_S", "8", 1);
  // pve-03's new link0 address exists on no interface: knet cannot use it.
  std::map<std::string, std::string> broken{{"pve-03", Prefix(lab_->Link0("pve-03")) + ".99"}};
  auto spec = Load(SpecText(broken));
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  LabCommand before = lab_->Exec("pve-01", "grep config_version /etc/pve/corosync.conf");
  QuorumWatch watch(*lab_);
  CommandRun ran = Apply(*spec);
  watch.Stop();
  unsetenv("HAINFRA_COROSYNC_VERIFY_S");
  EXPECT_EQ(ran.exit_code, 1) << ran.out << ran.err;
  EXPECT_NE((ran.out + ran.err).find("the previous corosync.conf was restored"), std::string::npos) << ran.out << ran.err;
  EXPECT_EQ(watch.Lost(), "") << "link1 kept the cluster quorate";
  LabCommand conf = lab_->Exec("pve-01", "cat /etc/pve/corosync.conf");
  EXPECT_NE(conf.output.find("ring0_addr: " + lab_->Link0("pve-03") + "\n"), std::string::npos) << conf.output;
  // 1 → 2 (link 0 removed) → 3 (added back with the bad address) → 4 (removed again) → 5 (restored).
  EXPECT_NE(conf.output.find("config_version: 5"), std::string::npos) << before.output << conf.output;
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return RunningAddress("pve-03", 0) == lab_->Link0("pve-03"); },
                                     std::chrono::seconds(10)))
      << RunningAddress("pve-03", 0) << "\n" << ran.err << lab_->Exec("pve-03", "corosync-cfgtool -s").output
      << lab_->Exec("pve-03", "tail -20 /var/log/corosync/corosync.log").output;
}

TEST_F(LabCorosyncKind, ATotemEditByHandIsDriftAndApplyPutsItBack) {
  auto spec = Load(SpecText({}, "    totem: { token: 1000 }\n"));
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  EXPECT_EQ(Drift(*spec).exit_code, 0) << "the lab runs token 1000";
  LabCommand edit = lab_->Ssh("pve-02", "cd /etc/pve && sed -e 's/config_version: 1/config_version: 2/' "
                                        "-e 's/token: 1000/token: 1500/' corosync.conf > corosync.conf.new && "
                                        "mv corosync.conf.new corosync.conf");
  ASSERT_EQ(edit.exit_code, 0) << edit.output;
  CommandRun drift = Drift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("totem.token"), std::string::npos) << drift.out;
  CommandRun ran = Apply(*spec);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  LabCommand conf = lab_->Exec("pve-03", "cat /etc/corosync/corosync.conf");
  EXPECT_NE(conf.output.find("token: 1000\n"), std::string::npos) << conf.output;
  EXPECT_NE(conf.output.find("config_version: 3\n"), std::string::npos) << conf.output;
  EXPECT_NE(conf.output.find("knet_ping_interval: 100"), std::string::npos) << "unknown keys kept: " << conf.output;
  EXPECT_EQ(Drift(*spec).exit_code, 0);
}

}  // namespace
}  // namespace hainfra::testing
