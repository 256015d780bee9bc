#include "cfsd/lock_reaper.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace pvelab {
namespace {

using std::chrono::seconds;

class LockReaperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pvelab-locks-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Lock(const std::string& name) { return (dir_ / name).string(); }
  void SetMtime(const std::string& name, time_t mtime) {
    timespec times[2] = {{0, UTIME_OMIT}, {mtime, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, Lock(name).c_str(), times, 0), 0);
  }
  time_t Mtime(const std::string& name) {
    struct stat st {};
    stat(Lock(name).c_str(), &st);
    return st.st_mtime;
  }

  std::filesystem::path dir_;
  LockReaper::Clock::time_point t0_ = LockReaper::Clock::now();
};

TEST_F(LockReaperTest, UnlockRequestOnAnExpiredLockRemovesIt) {
  LockReaper reaper(dir_.string(), seconds(120));
  std::filesystem::create_directory(Lock("apply"));
  reaper.Scan(t0_);
  SetMtime("apply", 0);  // utime(path, 0, 0)
  auto events = reaper.Scan(t0_ + seconds(121));
  EXPECT_FALSE(std::filesystem::exists(Lock("apply")));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], "lock 'apply' expired: removed on request");
}

TEST_F(LockReaperTest, UnlockRequestOnALiveLockChangesNothing) {
  LockReaper reaper(dir_.string(), seconds(120));
  std::filesystem::create_directory(Lock("apply"));
  SetMtime("apply", 1000);
  reaper.Scan(t0_);
  SetMtime("apply", 0);
  EXPECT_TRUE(reaper.Scan(t0_ + seconds(60)).empty());
  EXPECT_TRUE(std::filesystem::exists(Lock("apply")));
  EXPECT_EQ(Mtime("apply"), 1000) << "the request must not count as a refresh nor leave mtime 0";
}

TEST_F(LockReaperTest, RefreshRestartsTheTimeout) {
  LockReaper reaper(dir_.string(), seconds(120));
  std::filesystem::create_directory(Lock("apply"));
  SetMtime("apply", 1000);
  reaper.Scan(t0_);
  SetMtime("apply", 2000);  // the holder touches its lock
  reaper.Scan(t0_ + seconds(100));
  SetMtime("apply", 0);
  reaper.Scan(t0_ + seconds(150));  // 50 s after the refresh: alive
  EXPECT_TRUE(std::filesystem::exists(Lock("apply")));
  SetMtime("apply", 0);
  reaper.Scan(t0_ + seconds(221));  // 121 s after the refresh: expired
  EXPECT_FALSE(std::filesystem::exists(Lock("apply")));
}

TEST_F(LockReaperTest, ExpiredLockWithoutRequestStays) {
  LockReaper reaper(dir_.string(), seconds(1));
  std::filesystem::create_directory(Lock("apply"));
  reaper.Scan(t0_);
  EXPECT_TRUE(reaper.Scan(t0_ + seconds(600)).empty());
  EXPECT_TRUE(std::filesystem::exists(Lock("apply")));
}

TEST_F(LockReaperTest, NonEmptyLockIsNotRemoved) {
  LockReaper reaper(dir_.string(), seconds(1));
  std::filesystem::create_directory(Lock("apply"));
  std::filesystem::create_directory(Lock("apply") + "/holder");
  reaper.Scan(t0_);
  SetMtime("apply", 0);
  auto events = reaper.Scan(t0_ + seconds(5));
  EXPECT_TRUE(std::filesystem::exists(Lock("apply")));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("not removed"), std::string::npos) << events[0];
}

}  // namespace
}  // namespace pvelab
