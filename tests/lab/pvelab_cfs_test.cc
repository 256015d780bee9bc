// pvelab: the shared /etc/pve — one tree for all nodes with each node's own `local`, lock folders with a
// single holder that expire (on an unlock request) when their holder stops refreshing them.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

using std::chrono::seconds;

class LabCfs : public LabTest {
 protected:
  // Short lock timeout, so expiry is testable; pmxcfs's is 120 s.
  LabOptions Options() const override {
    LabOptions o;
    o.lock_timeout_s = 2;
    return o;
  }
};

TEST_F(LabCfs, AllNodesShareOneTreeAndLocalIsTheNodesOwn) {
  ASSERT_EQ(lab_->Ssh("pve-01", "echo hello > /etc/pve/shared-file").exit_code, 0);
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_EQ(lab_->Exec(node, "cat /etc/pve/shared-file").output, "hello\n") << node;
    ASSERT_EQ(lab_->Exec(node, "echo " + node + " > /etc/pve/local/whoami").exit_code, 0);
  }
  for (const std::string& node : lab_->Nodes()) {
    EXPECT_EQ(lab_->Exec("pve-01", "cat /etc/pve/nodes/" + node + "/whoami").output, node + "\n");
  }
  ASSERT_EQ(lab_->Exec("pve-02", "echo 'name: db1' > /etc/pve/qemu-server/100.conf").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(lab_->Cfs() + "/nodes/pve-02/qemu-server/100.conf"));
  EXPECT_EQ(lab_->Exec("pve-01", "cat /root/.ssh/authorized_keys").output.substr(0, 11), "ssh-ed25519");
}

TEST_F(LabCfs, LockFolderHasOneHolder) {
  auto holder = lab_->HoldLock("pve-01", "hainfra-apply");
  ASSERT_TRUE(holder.has_value()) << holder.error().message;
  LabCommand second = lab_->Ssh("pve-02", "mkdir /etc/pve/priv/lock/hainfra-apply");
  EXPECT_NE(second.exit_code, 0);
  EXPECT_NE(second.output.find("File exists"), std::string::npos) << second.output;
  // A refreshed lock survives unlock requests past the timeout.
  std::this_thread::sleep_for(seconds(3));
  ASSERT_EQ(lab_->Exec("pve-03", "touch -m -d @0 /etc/pve/priv/lock/hainfra-apply").exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_TRUE(std::filesystem::is_directory(lab_->Cfs() + "/priv/lock/hainfra-apply"));
  struct stat st {};
  ASSERT_EQ(stat((lab_->Cfs() + "/priv/lock/hainfra-apply").c_str(), &st), 0);
  EXPECT_NE(st.st_mtime, 0) << "an unlock request on a live lock must change nothing";
}

TEST_F(LabCfs, KilledHoldersLockExpiresOnAnUnlockRequest) {
  ASSERT_TRUE(lab_->HoldLock("pve-01", "hainfra-apply").has_value());
  ASSERT_TRUE(lab_->KillLockHolder("hainfra-apply").has_value());
  std::string lock = lab_->Cfs() + "/priv/lock/hainfra-apply";
  EXPECT_TRUE(std::filesystem::is_directory(lock)) << "killing the holder must not remove its lock";
  // What Proxmox's cfs_lock does while it waits: mkdir, and on EEXIST utime(0, 0) (the unlock request).
  std::string acquire =
      "for i in $(seq 1 8); do mkdir /etc/pve/priv/lock/hainfra-apply 2>/dev/null && echo acquired $i && exit 0; "
      "touch -m -d @0 /etc/pve/priv/lock/hainfra-apply; sleep 1; done; exit 1";
  LabCommand r = lab_->Ssh("pve-02", acquire);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("acquired"), std::string::npos) << r.output;
}

TEST_F(LabCfs, ExpiredLockStaysWithoutAnUnlockRequest) {
  ASSERT_TRUE(lab_->HoldLock("pve-01", "quiet").has_value());
  ASSERT_TRUE(lab_->KillLockHolder("quiet").has_value());
  std::this_thread::sleep_for(seconds(3));
  EXPECT_TRUE(std::filesystem::is_directory(lab_->Cfs() + "/priv/lock/quiet")) << "pmxcfs removes only on request";
}

}  // namespace
}  // namespace hainfra::testing
