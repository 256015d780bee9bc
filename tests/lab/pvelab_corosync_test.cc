// pvelab acceptance: a higher config_version in /etc/pve/corosync.conf reaches every node's running
// corosync; one cut link keeps quorum on the other; an isolated node loses quorum and its /etc/pve writes
// while the other two stay quorate; a stopped corosync comes back.
#include <regex>

#include <gtest/gtest.h>

#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

using std::chrono::seconds;

class LabCorosync : public LabTest {
 protected:
  bool Quorate(const std::string& node, int votes) const {
    LabCommand r = lab_->Exec(node, "pvecm status");
    return r.output.find("Quorate:          Yes") != std::string::npos &&
           r.output.find("Total votes:      " + std::to_string(votes) + "\n") != std::string::npos;
  }
  bool NotQuorate(const std::string& node) const {
    return lab_->Exec(node, "pvecm status").output.find("Quorate:          No") != std::string::npos;
  }
};

TEST_F(LabCorosync, HigherConfigVersionReachesEveryRunningCorosync) {
  // As hainfra will: edit a copy, bump config_version, move it into place (through a node's /etc/pve).
  LabCommand edit = lab_->Ssh("pve-01",
                              "cd /etc/pve && sed -e 's/config_version: 1/config_version: 2/' "
                              "-e 's/token: 1000/token: 1400/' corosync.conf > corosync.conf.new && "
                              "mv corosync.conf.new corosync.conf");
  ASSERT_EQ(edit.exit_code, 0) << edit.output;
  for (const std::string& node : lab_->Nodes()) {
    bool reached = PvelabFixture::WaitFor(
        [&] {
          return lab_->Exec(node, "corosync-cmapctl -g totem.token").output == "totem.token (u32) = 1400\n";
        },
        seconds(10));
    EXPECT_TRUE(reached) << node << ": " << lab_->Exec(node, "corosync-cmapctl -g totem.token").output;
    EXPECT_EQ(lab_->Exec(node, "corosync-cmapctl -g totem.config_version").output,
              "totem.config_version (u64) = 2\n");
    EXPECT_NE(lab_->Exec(node, "cat /etc/corosync/corosync.conf").output.find("config_version: 2"), std::string::npos);
  }
  EXPECT_TRUE(Quorate("pve-02", 3));
}

TEST_F(LabCorosync, LowerConfigVersionIsNotPropagated) {
  ASSERT_EQ(lab_->Exec("pve-01", "sed -i 's/config_version: 1/config_version: 5/' /etc/corosync/corosync.conf").exit_code, 0);
  ASSERT_EQ(lab_->Exec("pve-02", "sed 's/config_version: 1/config_version: 3/' /etc/pve/corosync.conf > /tmp/c && "
                                 "cp /tmp/c /etc/pve/corosync.conf").exit_code, 0);
  ASSERT_TRUE(PvelabFixture::WaitFor(
      [&] { return lab_->Exec("pve-03", "grep -c 'config_version: 3' /etc/corosync/corosync.conf").output == "1\n"; },
      seconds(10)));
  // pve-01's own file is newer than the cluster's: left alone, as pmxcfs does.
  EXPECT_NE(lab_->Exec("pve-01", "cat /etc/corosync/corosync.conf").output.find("config_version: 5"), std::string::npos);
}

TEST_F(LabCorosync, CuttingOneLinkKeepsQuorumOnTheOther) {
  ASSERT_TRUE(lab_->Fault({"link-down", "pve-03", "link0"}).has_value());
  // knet notices the dead link within a few tokens (corosync-cfgtool -s: link 0 to node 3 disconnected).
  auto link0_to_3 = [&] {
    std::string s = lab_->Exec("pve-01", "corosync-cfgtool -s").output;
    std::string link0 = s.substr(0, s.find("LINK ID 1"));
    std::smatch m;
    return std::regex_search(link0, m, std::regex(R"(nodeid:\s+3:\s+(\w+))")) ? m[1].str() : std::string("?");
  };
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return link0_to_3() == "disconnected"; }, seconds(15)))
      << lab_->Exec("pve-01", "corosync-cfgtool -s").output;
  for (const std::string& node : lab_->Nodes()) EXPECT_TRUE(Quorate(node, 3)) << node;
  EXPECT_EQ(lab_->Exec("pve-03", "touch /etc/pve/still-writable").exit_code, 0);
  ASSERT_TRUE(lab_->Fault({"link-up", "pve-03", "link0"}).has_value());
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return link0_to_3() == "connected"; }, seconds(15)));
}

TEST_F(LabCorosync, IsolatedNodeLosesQuorumAndItsCfsWritesFail) {
  ASSERT_TRUE(lab_->Fault({"isolate", "pve-03"}).has_value());
  ASSERT_TRUE(PvelabFixture::WaitFor([&] { return NotQuorate("pve-03"); }, seconds(15)))
      << lab_->Exec("pve-03", "pvecm status").output;
  ASSERT_TRUE(PvelabFixture::WaitFor(
      [&] { return lab_->NodeStatus("pve-03").value("cfs_writable", true) == false; }, seconds(5)));
  LabCommand write = lab_->Exec("pve-03", "echo x > /etc/pve/isolated-write");
  EXPECT_NE(write.exit_code, 0);
  EXPECT_NE(write.output.find("Read-only file system"), std::string::npos) << write.output;
  EXPECT_NE(lab_->Exec("pve-03", "mkdir /etc/pve/priv/lock/from-isolated").exit_code, 0);
  EXPECT_EQ(lab_->Exec("pve-03", "cat /etc/pve/corosync.conf >/dev/null").exit_code, 0) << "reads still work";
  for (const char* node : {"pve-01", "pve-02"}) {
    EXPECT_TRUE(PvelabFixture::WaitFor([&] { return Quorate(node, 2); }, seconds(10))) << node;
    EXPECT_EQ(lab_->Ssh(node, "echo ok > /etc/pve/quorate-write").exit_code, 0) << node;
  }
  ASSERT_TRUE(lab_->Fault({"heal", "pve-03"}).has_value());
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return Quorate("pve-03", 3); }, seconds(15)));
  EXPECT_TRUE(PvelabFixture::WaitFor(
      [&] { return lab_->Exec("pve-03", "echo x > /etc/pve/healed-write").exit_code == 0; }, seconds(5)));
}

TEST_F(LabCorosync, StoppedCorosyncLeavesTheNodeWithoutQuorumUntilRestarted) {
  ASSERT_TRUE(lab_->Fault({"stop", "pve-02", "corosync"}).has_value());
  EXPECT_NE(lab_->Exec("pve-02", "pvecm status").exit_code, 0);
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return Quorate("pve-01", 2); }, seconds(15)));
  ASSERT_TRUE(PvelabFixture::WaitFor(
      [&] { return lab_->NodeStatus("pve-02").value("corosync", true) == false; }, seconds(5)));
  ASSERT_TRUE(lab_->Fault({"start", "pve-02", "corosync"}).has_value());
  EXPECT_TRUE(PvelabFixture::WaitFor([&] { return Quorate("pve-02", 3); }, seconds(15)));
}

}  // namespace
}  // namespace hainfra::testing
