// The cluster lock's protocol over a real sshd, on a plain folder standing in for /etc/pve (no pmxcfs
// here: expiry is pmxcfs's and is tested against pvelab in tests/lab/cluster_safety_test.cc).
#include "providers/safety/cluster_lock.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "tests/testing/sshd_fixture.h"

namespace hainfra::safety {
namespace {

using testing::SshdFixture;

class ClusterLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/usr/sbin/sshd", X_OK) != 0) GTEST_SKIP() << sshd_.error();
    ASSERT_TRUE(sshd_.ok()) << sshd_.error();
    auto client = transport::SshClient::Create(sshd_.Settings());
    ASSERT_TRUE(client) << client.error().ToString();
    ssh_ = std::move(*client);
    options_.cfs = sshd_.dir().File("pve");
    options_.wait = std::chrono::milliseconds(200);
  }
  std::string LockDir() const { return options_.cfs + "/priv/lock/" + options_.name; }
  static LockHolder Holder(const std::string& host, int64_t pid) {
    LockHolder h = LockHolder::Current();
    h.host = host;
    h.pid = pid;
    h.job_url = "https://ci.example/job/" + std::to_string(pid);
    return h;
  }

  SshdFixture sshd_;
  std::unique_ptr<transport::SshClient> ssh_;
  LockOptions options_;
};

TEST_F(ClusterLockTest, ASecondApplyIsRefusedWithTheHoldersInformation) {
  auto first = ClusterLock::Acquire(*ssh_, "pve-01", options_, Holder("ci-runner-1", 111));
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_TRUE(std::filesystem::is_directory(LockDir()));
  auto second = ClusterLock::Acquire(*ssh_, "pve-01", options_, Holder("laptop", 222));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, Code::kFailedPrecondition);
  const std::string& why = second.error().message;
  EXPECT_NE(why.find("is held by"), std::string::npos) << why;
  EXPECT_NE(why.find("@ci-runner-1 (pid 111) since 20"), std::string::npos) << why;
  EXPECT_NE(why.find("job https://ci.example/job/111"), std::string::npos) << why;
  EXPECT_NE(why.find("hainfra unlock --force"), std::string::npos) << why;

  ASSERT_TRUE((*first)->Release().has_value());
  EXPECT_FALSE(std::filesystem::exists(LockDir()));
  auto third = ClusterLock::Acquire(*ssh_, "pve-01", options_, Holder("laptop", 222));
  ASSERT_TRUE(third.has_value()) << third.error().message;
}

TEST_F(ClusterLockTest, TheLockIsRefreshedWhileHeldAndReleasedByItsDestructor) {
  options_.refresh = std::chrono::milliseconds(100);
  {
    auto lock = ClusterLock::Acquire(*ssh_, "pve-01", options_, Holder("a", 1));
    ASSERT_TRUE(lock.has_value()) << lock.error().message;
    // Age the folder; the refresher must touch it again.
    ASSERT_EQ(system(("touch -m -d @1000 " + LockDir()).c_str()), 0);
    bool refreshed = false;
    for (int i = 0; i < 50 && !refreshed; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      struct stat st {};
      refreshed = stat(LockDir().c_str(), &st) == 0 && st.st_mtime > 100000;
    }
    EXPECT_TRUE(refreshed);
    EXPECT_TRUE((*lock)->held());
  }
  EXPECT_FALSE(std::filesystem::exists(LockDir())) << "the destructor releases";
}

TEST_F(ClusterLockTest, ALockTakenOverIsNotReleasedByItsFormerHolder) {
  options_.refresh = std::chrono::milliseconds(100);
  auto lock = ClusterLock::Acquire(*ssh_, "pve-01", options_, Holder("a", 1));
  ASSERT_TRUE(lock.has_value()) << lock.error().message;
  auto forced = ForceUnlock(*ssh_, "pve-01", options_.name, options_.cfs);
  ASSERT_TRUE(forced.has_value()) << forced.error().message;
  EXPECT_EQ(forced->host, "a");
  auto other = ClusterLock::Acquire(*ssh_, "pve-01", options_, Holder("b", 2));
  ASSERT_TRUE(other.has_value()) << other.error().message;
  for (int i = 0; i < 40 && (*lock)->held(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE((*lock)->held()) << "the refresher noticed the lock is someone else's";
  Status released = (*lock)->Release();
  ASSERT_FALSE(released.has_value());
  EXPECT_NE(released.error().message.find("no longer ours"), std::string::npos);
  auto holder = ReadLockHolder(*ssh_, "pve-01", options_.name, options_.cfs);
  ASSERT_TRUE(holder.has_value()) << holder.error().message;
  EXPECT_EQ(holder->host, "b") << "b's lock survived a's release";
}

TEST_F(ClusterLockTest, ForceUnlockOfNoLockSaysSo) {
  auto forced = ForceUnlock(*ssh_, "pve-01", options_.name, options_.cfs);
  ASSERT_FALSE(forced.has_value());
  EXPECT_EQ(forced.error().code, Code::kNotFound);
  auto holder = ReadLockHolder(*ssh_, "pve-01", options_.name, options_.cfs);
  ASSERT_FALSE(holder.has_value());
  EXPECT_EQ(holder.error().code, Code::kNotFound);
}

TEST_F(ClusterLockTest, AnUnwritableFilesystemIsAnErrorNotAHolder) {
  options_.cfs = "/proc/hainfra-no-such-cfs";
  auto lock = ClusterLock::Acquire(*ssh_, "pve-01", options_, Holder("a", 1));
  ASSERT_FALSE(lock.has_value());
  EXPECT_NE(lock.error().message.find("cannot take the cluster lock on pve-01"), std::string::npos)
      << lock.error().message;
}

}  // namespace
}  // namespace hainfra::safety
