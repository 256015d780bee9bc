#include "cfsd/corosync_sync.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace pvelab {
namespace {

std::string Conf(int version) {
  return "totem {\n  cluster_name: lab\n  config_version: " + std::to_string(version) +
         "\n  interface {\n    linknumber: 0\n  }\n}\n";
}

class CorosyncSync : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("pvelab-sync-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path dir_;
};

TEST(ConfigVersion, ReadsTheTotemValue) {
  EXPECT_EQ(ConfigVersion(Conf(4)), 4u);
  EXPECT_EQ(ConfigVersion("totem {\n\tconfig_version:\t12\n}\n"), 12u);
}

TEST(ConfigVersion, IgnoresKeysInsideOtherWordsAndMissingValues) {
  EXPECT_EQ(ConfigVersion("# old_config_version: 9\ntotem {\n}\n"), 0u);
  EXPECT_EQ(ConfigVersion("totem {\n  config_version: x\n}\n"), 0u);
}

TEST_F(CorosyncSync, HigherVersionReplacesTheNodeFileAndAsksForReload) {
  std::string cfs = Write("cfs.conf", Conf(3));
  std::string node = Write("node.conf", Conf(2));
  SyncOutcome out = SyncCorosyncConf(cfs, node);
  EXPECT_TRUE(out.changed);
  EXPECT_TRUE(out.needs_reload);
  EXPECT_EQ(Read("node.conf"), Conf(3));
}

TEST_F(CorosyncSync, FirstConfigNeedsNoReload) {
  std::string cfs = Write("cfs.conf", Conf(1));
  SyncOutcome out = SyncCorosyncConf(cfs, (dir_ / "absent.conf").string());
  EXPECT_TRUE(out.changed);
  EXPECT_FALSE(out.needs_reload);
}

TEST_F(CorosyncSync, NewerNodeFileIsLeftAlone) {
  std::string cfs = Write("cfs.conf", Conf(3));
  std::string node = Write("node.conf", Conf(5));
  SyncOutcome out = SyncCorosyncConf(cfs, node);
  EXPECT_FALSE(out.changed);
  EXPECT_NE(out.message.find("local corosync.conf is newer"), std::string::npos) << out.message;
  EXPECT_EQ(Read("node.conf"), Conf(5));
}

TEST_F(CorosyncSync, UnparsableClusterFileChangesNothing) {
  std::string cfs = Write("cfs.conf", "totem {\n}\n");
  std::string node = Write("node.conf", Conf(2));
  SyncOutcome out = SyncCorosyncConf(cfs, node);
  EXPECT_FALSE(out.changed);
  EXPECT_NE(out.message.find("unable to parse cluster config_version"), std::string::npos);
}

}  // namespace
}  // namespace pvelab
