// The qdevice kind against Debian's real corosync-qnetd and corosync-qdevice: a 4-node pvelab cluster (joined
// to pvesim) with a spare node as the QNetd host. hainfra apply does pvecm's certificate exchange and adds
// the QDevice; the cluster then keeps quorum with two of its four nodes down (2 votes + the QDevice's 1 of 5);
// `state: absent` removes it again (with --allow-destroy, as every removal). A member's votes are applied in
// corosync.conf, its nodeid never changed. Quorum holds on every node throughout each apply; the next plan is empty.
#include <gtest/gtest.h>

#include <unistd.h>

#include <optional>
#include <sstream>

#include "cli/apply_safety.h"
#include "cli/cluster_session.h"
#include "tests/testing/lab_commands.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

// `corosync-quorumtool -s` as numbers: "Expected votes:", "Total votes:", "Quorum:" and the Flags line.
struct QdVotes {
  int expected = -1;
  int total = -1;
  int quorum = -1;
  std::string flags;
  std::string text;
};

class LabQdevice : public LabTest {
 protected:
  LabOptions Options() const override {
    LabOptions o;
    o.nodes = 4;
    o.sim = true;
    o.extra_args = {"--spare-nodes", "1"};  // the QNetd host: installed like a node, not a member
    return o;
  }

  void SetUp() override {
    if (access("/usr/bin/corosync-qnetd", X_OK) != 0 || access("/usr/sbin/corosync-qdevice", X_OK) != 0) {
      GTEST_SKIP() << "needs Debian's corosync-qnetd and corosync-qdevice (.ci/install-deps test installs them)";
    }
    LabTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // As installing corosync-qnetd on the QNetd host does: its database exists (the package's postinst, seen
    // through the node's /etc) and the daemon runs.
    LabCommand qnetd = lab_->Exec(Qnetd(), "systemctl start corosync-qnetd && corosync-qnetd-tool -s");
    ASSERT_EQ(qnetd.exit_code, 0) << qnetd.output;
  }

  std::string Qnetd() const { return lab_->Env().at("PVELAB_SPARES"); }
  static std::string Prefix(const std::string& address) { return address.substr(0, address.rfind('.')); }

  // The lab's cluster; `qdevice`: more keys of the QDevice (nullopt: none declared); `pve01`: more corosync keys
  // of pve-01.
  std::string SpecText(const std::optional<std::string>& qdevice, const std::string& pve01 = "") const {
    std::string text = "cluster:\n  name: hainfra-lab\n  api:\n    endpoint: https://10.0.0.11:8006\n"
                       "    token: hainfra@pve!ci\n    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}\n"
                       "  corosync:\n    links:\n      - { id: 0, network: " + Prefix(lab_->Link0("pve-01")) +
                       ".0/24 }\n      - { id: 1, network: " + Prefix(lab_->Link1("pve-01")) + ".0/24 }\n";
    if (qdevice) text += "    qdevice: { address: " + lab_->Address(Qnetd()) + *qdevice + " }\n";
    text += "nodes:\n";
    for (const std::string& node : lab_->Nodes()) {
      text += "  - name: " + node + "\n    address: " + lab_->Address(node) + "\n    corosync: { link0: " +
              lab_->Link0(node) + ", link1: " + lab_->Link1(node) + (node == "pve-01" ? pve01 : "") + " }\n";
    }
    return text;
  }

  QdVotes Votes(const std::string& node) const {
    QdVotes v;
    v.text = lab_->Exec(node, "corosync-quorumtool -s").output;
    std::istringstream lines(v.text);
    std::string line;
    auto number = [&](const std::string& key, int& out) {
      if (line.rfind(key, 0) == 0) out = std::atoi(line.substr(key.size()).c_str());
    };
    while (std::getline(lines, line)) {
      number("Expected votes:", v.expected);
      number("Total votes:", v.total);
      number("Quorum:", v.quorum);
      if (line.rfind("Flags:", 0) == 0) v.flags = line.substr(6);
    }
    return v;
  }

  // `hainfra apply --auto-approve [--allow-destroy]`.
  CommandRun Apply(const Spec& spec, bool allow_destroy) const {
    auto session = cli::ClusterSession::Open(spec, lab_->EnvLookup(), nullptr);
    if (!session) return {1, "", session.error().message, ""};
    std::istringstream in;
    std::ostringstream out, err;
    cli::Console console{in, out, err, false, false, false};
    cli::ApplyCommandOptions options;
    options.auto_approve = true;
    options.allow_destroy = allow_destroy;
    const int code = cli::RunSafeApply(spec, **session, options, {}, console);
    return {code, out.str(), err.str(), ""};
  }

  // Applies `spec` with quorum watched on every member; then the next plan must be empty.
  void ApplyKeepingQuorum(const Spec& spec, bool allow_destroy = false) const {
    QuorumWatch watch(*lab_);
    CommandRun ran = Apply(spec, allow_destroy);
    watch.Stop();
    ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
    EXPECT_EQ(watch.Lost(), "") << "quorum lost during the apply (" << watch.Samples() << " samples)";
    auto again = LabPlan(*lab_, spec);
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_TRUE(again->empty()) << again->steps.size() << " steps after apply";
  }

  void SetUpQdevice() const {
    auto spec = LoadSpecForTest(SpecText(""), "spec.yaml");
    ASSERT_TRUE(spec.has_value()) << spec.error().message;
    ApplyKeepingQuorum(*spec);
    for (const std::string& node : lab_->Nodes()) {
      EXPECT_TRUE(PvelabFixture::WaitFor([&] { return Votes(node).total == 5; }, std::chrono::seconds(30)))
          << node << ": " << Votes(node).text;
    }
  }
};

TEST_F(LabQdevice, FourNodesKeepQuorumWithTwoDownThroughTheQdeviceVote) {
  SetUpQdevice();
  if (HasFatalFailure()) return;
  QdVotes all = Votes("pve-01");
  EXPECT_EQ(all.expected, 5) << all.text;
  EXPECT_EQ(all.quorum, 3) << all.text;
  EXPECT_NE(all.flags.find("Qdevice"), std::string::npos) << all.text;
  LabCommand conf = lab_->Exec("pve-02", "cat /etc/corosync/corosync.conf");
  EXPECT_NE(conf.output.find("host: " + lab_->Address(Qnetd())), std::string::npos) << conf.output;
  EXPECT_NE(conf.output.find("algorithm: ffsplit"), std::string::npos) << conf.output;
  LabCommand enabled = lab_->Exec("pve-03", "systemctl is-enabled corosync-qdevice");
  EXPECT_EQ(enabled.exit_code, 0) << enabled.output;

  ASSERT_TRUE(lab_->Fault({"stop", "pve-03", "corosync"}).has_value());
  ASSERT_TRUE(lab_->Fault({"stop", "pve-04", "corosync"}).has_value());
  // Two of four nodes alone would be 2 votes of the 3 needed: the QDevice's vote keeps them quorate.
  for (const std::string node : {"pve-01", "pve-02"}) {
    EXPECT_TRUE(PvelabFixture::WaitFor([&] { return Votes(node).total == 3; }, std::chrono::seconds(30)))
        << node << ": " << Votes(node).text;
    QdVotes left = Votes(node);
    EXPECT_EQ(left.quorum, 3) << left.text;
    EXPECT_NE(left.flags.find("Quorate"), std::string::npos) << left.text;
    EXPECT_TRUE(PvelabFixture::WaitFor([&] { return lab_->NodeStatus(node).value("quorate", false); },
                                       std::chrono::seconds(5)))
        << node << " is not quorate for pvelab-cfsd";
  }
}

TEST_F(LabQdevice, StateAbsentRemovesTheQdeviceAndItsVote) {
  SetUpQdevice();
  if (HasFatalFailure()) return;
  auto spec = LoadSpecForTest(SpecText(", state: absent"), "spec.yaml");
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  // Like every removal, it needs consent.
  CommandRun refused = Apply(*spec, false);
  EXPECT_NE(refused.exit_code, 0) << refused.out << refused.err;
  EXPECT_NE((refused.out + refused.err).find("--allow-destroy"), std::string::npos) << refused.out << refused.err;
  EXPECT_EQ(Votes("pve-01").expected, 5) << "nothing was removed";
  ApplyKeepingQuorum(*spec, true);
  for (const std::string& node : lab_->Nodes()) {
    QdVotes v = Votes(node);
    EXPECT_EQ(v.expected, 4) << node << ": " << v.text;
    EXPECT_EQ(v.flags.find("Qdevice"), std::string::npos) << node << ": " << v.text;
    EXPECT_NE(lab_->Exec(node, "systemctl is-active corosync-qdevice").exit_code, 0) << node;
    EXPECT_NE(lab_->Exec(node, "systemctl is-enabled corosync-qdevice").exit_code, 0) << node;
    EXPECT_NE(lab_->Exec(node, "test -e /etc/corosync/qdevice").exit_code, 0) << node << ": certificates left";
  }
  LabCommand conf = lab_->Exec("pve-01", "cat /etc/pve/corosync.conf");
  EXPECT_EQ(conf.output.find("device {"), std::string::npos) << conf.output;
}

TEST_F(LabQdevice, AMembersVotesAreAppliedAndItsNodeidIsNeverChanged) {
  auto spec = LoadSpecForTest(SpecText(std::nullopt, ", votes: 2"), "spec.yaml");
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  ApplyKeepingQuorum(*spec);
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_TRUE(PvelabFixture::WaitFor([&] { return Votes(node).expected == 5; }, std::chrono::seconds(10)))
        << node << ": " << Votes(node).text;
  }
  LabCommand members = lab_->Exec("pve-03", "corosync-quorumtool -l");
  EXPECT_NE(members.output.find("         1          2 pve-01"), std::string::npos) << members.output;

  auto renumbered = LoadSpecForTest(SpecText(std::nullopt, ", votes: 2, nodeid: 9"), "spec.yaml");
  ASSERT_TRUE(renumbered.has_value()) << renumbered.error().message;
  CommandRun refused = Apply(*renumbered, true);
  EXPECT_NE(refused.exit_code, 0) << refused.out << refused.err;
  EXPECT_NE((refused.out + refused.err).find("cannot change the nodeid of a member (1 in corosync.conf)"),
            std::string::npos)
      << refused.out << refused.err;
  LabCommand conf = lab_->Exec("pve-01", "cat /etc/pve/corosync.conf");
  EXPECT_NE(conf.output.find("name: pve-01\n    nodeid: 1\n"), std::string::npos) << conf.output;
}

}  // namespace
}  // namespace hainfra::testing
