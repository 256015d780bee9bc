// Node baselines on real nodes (pvelab; pvesim beside it serves the API): packages over SSH with real dpkg/apt, the sshd
// drop-in with a real sshd — drift made by hand is reported and corrected, a second plan is empty, nodes
// change one at a time, a lock-out is rolled back, hostile values stay literal.
#include <chrono>
#include <mutex>

#include <gtest/gtest.h>

#include "tests/testing/lab_session.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

class LabBaseline : public LabTest {
 protected:
  void SetUp() override {
    LabTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    PvesimOptions options;
    options.args = {"--nodes", "pve-01,pve-02,pve-03"};
    sim_ = PvesimProcess::Start(options);
    if (sim_->skipped()) GTEST_SKIP() << sim_->error();
    ASSERT_TRUE(sim_->ok()) << sim_->error();
    session_ = std::make_unique<LabSession>(*lab_, *sim_);
  }

  std::unique_ptr<PvesimProcess> sim_;
  std::unique_ptr<LabSession> session_;

  // A spec whose every lab node uses baseline `standard` = `baseline` (YAML flow mapping entries).
  std::string Spec(const std::string& baseline) const {
    std::string yaml = R"(
cluster:
  name: hainfra-lab
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
baselines:
  - { name: standard, )" + baseline + R"( }
nodes:
)";
    for (const std::string& node : lab_->Nodes()) {
      yaml += "  - { name: " + node + ", address: " + lab_->Address(node) + ", baseline: standard }\n";
    }
    return yaml;
  }

  // dpkg's view of PACKAGE on NODE: "VERSION SELECTION STATUS" or "" when unknown.
  std::string Package(const std::string& node, const std::string& package) const {
    LabCommand r = lab_->Exec(node, "dpkg-query -W -f '${Version} ${Status}' " + package + " 2>/dev/null");
    return r.exit_code == 0 ? r.output : "";
  }

  std::string DropIn(const std::string& node) const {
    LabCommand r = lab_->Exec(node, "cat /etc/ssh/sshd_config.d/10-hainfra.conf 2>/dev/null");
    return r.exit_code == 0 ? r.output : "";
  }
};

TEST_F(LabBaseline, PackagesRollOutOneNodeAtATimeDriftIsCorrectedAndTheSecondPlanIsEmpty) {
  LabSession& session = *session_;
  auto spec = LabSession::Load(
      Spec("packages: { present: [hainfra-test-b], versions: { hainfra-test-a: 1.1-1 }, absent: [hainfra-test-c] }"));
  ASSERT_TRUE(spec) << spec.error().message;
  const std::vector<std::string>& nodes = lab_->Nodes();
  for (const std::string& node : nodes) ASSERT_EQ(Package(node, "hainfra-test-b").find("installed"), std::string::npos);

  // The gate runs after each node's step: that node is done, the nodes after it are untouched.
  std::mutex mu;
  std::vector<std::string> gated;
  cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
  options.health_gate = [&](const std::string& node) -> Status {
    std::lock_guard lock(mu);
    gated.push_back(node);
    size_t done = 0;
    for (const std::string& n : nodes) done += Package(n, "hainfra-test-a").starts_with("1.1-1 hold ok installed");
    if (done != gated.size()) {
      return Fail(Code::kInternal, "after " + node + ": " + std::to_string(done) + " nodes changed, expected " +
                                       std::to_string(gated.size()));
    }
    return Ok();
  };
  CommandRun apply = session.RunApply(*spec, options);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_GE(gated.size(), nodes.size() - 1) << apply.out;
  for (const std::string& node : nodes) {
    EXPECT_EQ(Package(node, "hainfra-test-a"), "1.1-1 hold ok installed") << node;
    EXPECT_NE(Package(node, "hainfra-test-b").find("install ok installed"), std::string::npos) << node;
  }
  auto again = session.MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << again->steps.front().change.reason;

  // By hand on pve-02: the pin released and upgraded, test-c installed, test-b removed.
  LabCommand edit = lab_->Exec("pve-02",
                               "apt-mark unhold hainfra-test-a >/dev/null && DEBIAN_FRONTEND=noninteractive "
                               "apt-get install -y -q hainfra-test-a=2.0-1 hainfra-test-c hainfra-test-b- >/dev/null");
  ASSERT_EQ(edit.exit_code, 0) << edit.output;
  CommandRun drift = session.RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("packages/pve-02"), std::string::npos) << drift.out;
  EXPECT_EQ(drift.out.find("packages/pve-01"), std::string::npos) << drift.out;

  apply = session.RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(Package("pve-02", "hainfra-test-a"), "1.1-1 hold ok installed");
  EXPECT_NE(Package("pve-02", "hainfra-test-b").find("install ok installed"), std::string::npos);
  EXPECT_EQ(Package("pve-02", "hainfra-test-c").find("install ok installed"), std::string::npos);
  again = session.MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << again->steps.front().change.reason;
}

TEST_F(LabBaseline, AVersionNoRepositoryOffersChangesNothing) {
  LabSession& session = *session_;
  auto spec = LabSession::Load(Spec("packages: { present: [hainfra-test-b], versions: { hainfra-test-a: 9.9-9 } }"));
  ASSERT_TRUE(spec) << spec.error().message;
  cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
  options.retry.attempts = 1;
  CommandRun apply = session.RunApply(*spec, options);
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("hainfra-test-a 9.9-9 is not available"), std::string::npos)
      << apply.out << apply.err;
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_EQ(Package(node, "hainfra-test-b").find("install ok installed"), std::string::npos) << node;
  }
}

TEST_F(LabBaseline, SshdDropInIsWrittenCheckedAndAHandEditIsDrift) {
  LabSession& session = *session_;
  auto spec = LabSession::Load(Spec("sshd: { PasswordAuthentication: \"no\", MaxAuthTries: \"3\", X11Forwarding: \"no\" }"));
  ASSERT_TRUE(spec) << spec.error().message;
  CommandRun apply = session.RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_NE(DropIn(node).find("\nMaxAuthTries 3\n"), std::string::npos) << node << ": " << DropIn(node);
    LabCommand effective = lab_->Exec(node, "sshd -T | grep -i '^maxauthtries '");
    EXPECT_EQ(effective.output, "maxauthtries 3\n") << node;
  }
  auto again = session.MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << again->steps.front().change.reason;

  // By hand on pve-01: a value changed and a line added to hainfra's drop-in.
  ASSERT_EQ(lab_->Exec("pve-01", "sed -i 's/^MaxAuthTries 3/MaxAuthTries 6/' /etc/ssh/sshd_config.d/10-hainfra.conf && "
                                 "echo 'PermitEmptyPasswords yes' >> /etc/ssh/sshd_config.d/10-hainfra.conf")
                .exit_code,
            0);
  CommandRun drift = session.RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("sshd/pve-01"), std::string::npos) << drift.out;
  EXPECT_EQ(drift.out.find("sshd/pve-02"), std::string::npos) << drift.out;
  apply = session.RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE(DropIn("pve-01").find("\nMaxAuthTries 3\n"), std::string::npos) << DropIn("pve-01");
  EXPECT_EQ(DropIn("pve-01").find("PermitEmptyPasswords"), std::string::npos) << DropIn("pve-01");
  again = session.MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << again->steps.front().change.reason;
}

TEST_F(LabBaseline, AnSshdChangeThatLocksRootOutIsRolledBackAndTheNodeStaysReachable) {
  LabSession& session = *session_;
  auto spec = LabSession::Load(Spec("sshd: { AllowUsers: nobody }"));
  ASSERT_TRUE(spec) << spec.error().message;
  cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
  options.retry.attempts = 1;
  CommandRun apply = session.RunApply(*spec, options);
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("fresh SSH login failed"), std::string::npos) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("restored"), std::string::npos) << apply.out << apply.err;
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_EQ(DropIn(node).find("AllowUsers"), std::string::npos) << node << ": " << DropIn(node);
    LabCommand ssh = lab_->Ssh(node, "echo reachable");
    EXPECT_EQ(ssh.output, "reachable\n") << node << " exit " << ssh.exit_code;
  }
}

TEST_F(LabBaseline, HostileSshdValuesStayLiteral) {
  LabSession& session = *session_;
  cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
  options.retry.attempts = 1;

  // A line break would smuggle a second setting: refused by validate already, nothing written.
  auto injected = LabSession::Load(Spec("sshd: { PermitRootLogin: \"prohibit-password\\nAllowUsers nobody\" }"));
  ASSERT_FALSE(injected);
  EXPECT_NE(injected.error().message.find("PermitRootLogin"), std::string::npos) << injected.error().message;

  // Shell syntax is only ever text in the file (a free-text keyword, which validate cannot judge): sshd -t
  // refuses the value, the previous state is restored.
  auto shell = LabSession::Load(Spec("sshd: { Ciphers: \"$(touch${IFS}/tmp/pwned);touch${IFS}/tmp/pwned\" }"));
  ASSERT_TRUE(shell) << shell.error().message;
  CommandRun apply = session.RunApply(*shell, options);
  EXPECT_EQ(apply.exit_code, 1) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find("sshd -t refused"), std::string::npos) << apply.out << apply.err;
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_EQ(DropIn(node), "") << node;
    EXPECT_NE(lab_->Exec(node, "test -e /tmp/pwned").exit_code, 0) << node;
    EXPECT_EQ(lab_->Ssh(node, "echo reachable").output, "reachable\n") << node;
  }
}

TEST_F(LabBaseline, TheUnisonReportShowsAPackageVersionThatDiffersAcrossNodes) {
  LabSession& session = *session_;
  auto spec = LabSession::Load(Spec("packages: { present: [hainfra-test-a] }"));
  ASSERT_TRUE(spec) << spec.error().message;
  CommandRun report = session.RunReportPackages(*spec, false);
  EXPECT_EQ(report.exit_code, 0) << report.out << report.err;
  EXPECT_NE(report.out.find("in unison"), std::string::npos) << report.out;

  ASSERT_EQ(lab_->Exec("pve-03", "DEBIAN_FRONTEND=noninteractive apt-get install -y -q pve-manager=9.1.2 "
                                 "hainfra-test-a=1.0-1 >/dev/null").exit_code, 0);
  report = session.RunReportPackages(*spec, false);
  EXPECT_EQ(report.exit_code, 2) << report.out << report.err;
  EXPECT_NE(report.out.find("pve-manager:  9.1.1 on pve-01,pve-02  9.1.2 on pve-03"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("hainfra-test-a:  (not installed) on pve-01,pve-02  1.0-1 on pve-03"), std::string::npos)
      << report.out;

  report = session.RunReportPackages(*spec, true);
  EXPECT_EQ(report.exit_code, 2) << report.err;
  const nlohmann::json unison = nlohmann::json::parse(report.out, nullptr, false);
  ASSERT_FALSE(unison.is_discarded()) << report.out;
  bool found = false;
  for (const auto& d : unison["differences"]) {
    if (d["package"] != "pve-manager") continue;
    found = true;
    EXPECT_EQ(d["versions"]["pve-03"], "9.1.2");
    EXPECT_EQ(d["versions"]["pve-01"], "9.1.1");
  }
  EXPECT_TRUE(found) << report.out;
}

}  // namespace
}  // namespace hainfra::testing
