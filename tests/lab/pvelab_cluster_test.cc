// pvelab acceptance: a 3-node lab comes up quorate, answers strict-host-key ssh, and each node has its own
// /etc and dpkg database; real apt installs a pinned version on one node only.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "cfsd/process.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

// Its tests read the lab, or put back what they change: one lab for all of them.
class LabCluster : public LabTest {
 protected:
  bool OneLabForTheSuite() const override { return true; }
};

TEST_F(LabCluster, ThreeNodesAreQuorateWithAllVotes) {
  ASSERT_EQ(lab_->Nodes().size(), 3u);
  for (const std::string& node : lab_->Nodes()) {
    LabCommand q = lab_->Exec(node, "corosync-quorumtool -s");
    EXPECT_EQ(q.exit_code, 0) << q.output;
    EXPECT_NE(q.output.find("Quorate:          Yes"), std::string::npos) << node << ":\n" << q.output;
    EXPECT_NE(q.output.find("Total votes:      3"), std::string::npos) << node << ":\n" << q.output;
    nlohmann::json status = lab_->NodeStatus(node);
    EXPECT_EQ(status.value("quorate", false), true) << status.dump();
    EXPECT_EQ(status.value("members", nlohmann::json::array()), nlohmann::json({1, 2, 3})) << status.dump();
  }
}

TEST_F(LabCluster, StrictHostKeySshReachesEachNodeAsItself) {
  for (const std::string& node : lab_->Nodes()) {
    LabCommand r = lab_->Ssh(node, "hostname; ip -4 -o addr show dev eth0");
    ASSERT_EQ(r.exit_code, 0) << node << ": " << r.output;
    EXPECT_EQ(r.output.substr(0, r.output.find('\n')), node);
    EXPECT_NE(r.output.find(lab_->Address(node) + "/24"), std::string::npos) << r.output;
  }
}

TEST_F(LabCluster, SshRefusesAHostKeyThatIsNotInKnownHosts) {
  // The known_hosts line of pve-02 claims to be pve-01's: a strict client must refuse pve-01.
  std::string wrong = lab_->Dir() + "/wrong_known_hosts";
  std::ifstream in(lab_->SshKnownHosts());
  std::string line, pve02_key;
  while (std::getline(in, line)) {
    if (line.find(lab_->Address("pve-02") + ",") == 0) pve02_key = line.substr(line.find(' ') + 1);
  }
  ASSERT_FALSE(pve02_key.empty());
  std::ofstream(wrong) << lab_->Address("pve-01") << " " << pve02_key << "\n";
  LabCommand r = lab_->Exec("pve-02", "true");  // the lab itself is fine
  ASSERT_EQ(r.exit_code, 0);
  pvelab::RunResult ssh = pvelab::Run({"ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o",
                                       "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + wrong, "-o",
                                       "GlobalKnownHostsFile=/dev/null", "-i", lab_->SshIdentity(),
                                       "root@" + lab_->Address("pve-01"), "true"});
  EXPECT_NE(ssh.exit_code, 0);
  EXPECT_NE(ssh.output.find("REMOTE HOST IDENTIFICATION HAS CHANGED"), std::string::npos) << ssh.output;
}

TEST_F(LabCluster, EachNodeHasItsOwnEtc) {
  ASSERT_EQ(lab_->Exec("pve-01", "echo only-on-01 > /etc/hainfra-lab-probe").exit_code, 0);
  EXPECT_EQ(lab_->Exec("pve-01", "cat /etc/hainfra-lab-probe").output, "only-on-01\n");
  EXPECT_NE(lab_->Exec("pve-02", "cat /etc/hainfra-lab-probe").exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists("/etc/hainfra-lab-probe")) << "the host's /etc changed";
  EXPECT_EQ(lab_->Exec("pve-03", "cat /etc/hostname").output, "pve-03\n");
}

TEST_F(LabCluster, PinnedInstallShowsOnThatNodeOnly) {
  LabCommand install = lab_->Ssh("pve-02", "DEBIAN_FRONTEND=noninteractive apt-get install -y hainfra-test-a=1.1-1");
  ASSERT_EQ(install.exit_code, 0) << install.output;
  EXPECT_EQ(lab_->Ssh("pve-02", "dpkg-query -W -f '${Version}' hainfra-test-a").output, "1.1-1");
  for (const char* other : {"pve-01", "pve-03"}) {
    LabCommand q = lab_->Exec(other, "dpkg-query -W -f '${Status}' hainfra-test-a");
    EXPECT_EQ(q.output.find("install ok installed"), std::string::npos) << other << ": " << q.output;
  }
  EXPECT_NE(pvelab::Run({"dpkg-query", "-W", "hainfra-test-a"}).exit_code, 0) << "installed on the host";
  // Holds, upgrades and removal are real dpkg/apt on that node too.
  EXPECT_EQ(lab_->Exec("pve-02", "apt-mark hold hainfra-test-a && apt-mark showhold").output,
            "hainfra-test-a set on hold.\nhainfra-test-a\n");
  EXPECT_EQ(lab_->Exec("pve-02", "apt-mark unhold hainfra-test-a >/dev/null && apt-get install -y -q "
                                 "hainfra-test-a=2.0-1 >/dev/null 2>&1 && dpkg-query -W -f '${Version}' hainfra-test-a")
                .output,
            "2.0-1");
  LabCommand removed = lab_->Exec("pve-02", "apt-get remove -y -q hainfra-test-a >/dev/null 2>&1; "
                                            "dpkg-query -W -f '${Status}' hainfra-test-a");
  EXPECT_EQ(removed.output.find("ok installed"), std::string::npos) << removed.output;
}

TEST_F(LabCluster, BaselineHasPveManagerAndItsVersions) {
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_EQ(lab_->Exec(node, "dpkg-query -W -f '${Version}' pve-manager").output, "9.1.1") << node;
  }
  LabCommand policy = lab_->Exec("pve-01", "apt-cache madison pve-manager hainfra-test-a | awk '{ print $1, $3 }'");
  EXPECT_NE(policy.output.find("pve-manager 9.1.2"), std::string::npos) << policy.output;
  EXPECT_NE(policy.output.find("hainfra-test-a 1.0-1"), std::string::npos) << policy.output;
}

}  // namespace
}  // namespace hainfra::testing
