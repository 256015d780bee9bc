#include "providers/pve/pveversion.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace hainfra::pve {
namespace {

const PackageVersion* FindPackage(const std::vector<PackageVersion>& list, const std::string& name) {
  for (const PackageVersion& p : list) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

TEST(Pveversion, ReadsTheRealPve9Capture) {
  const std::string path = std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/cli-pveversion-v-pve9.txt";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "shared fixtures not found: " << path << " (HAINFRA_SHARED_DIR)";
  std::stringstream text;
  text << in.rdbuf();
  Result<std::vector<PackageVersion>> packages = ParsePveversion(text.str());
  ASSERT_TRUE(packages) << packages.error().message;
  EXPECT_EQ(packages->front().name, "proxmox-ve");
  EXPECT_EQ(packages->front().version, "9.1.0");
  EXPECT_EQ(packages->front().note, "running kernel: 6.17.2-1-pve");
  const PackageVersion* manager = FindPackage(*packages, "pve-manager");
  ASSERT_NE(manager, nullptr);
  EXPECT_EQ(manager->version, "9.1.1");
  const PackageVersion* corosync = FindPackage(*packages, "corosync");
  ASSERT_NE(corosync, nullptr);
  EXPECT_EQ(corosync->version, "3.1.9-pve2");
  EXPECT_EQ(corosync->note, "");
  // The capture lists proxmox-kernel-helper twice; it is kept once.
  int helpers = 0;
  for (const PackageVersion& p : *packages) helpers += p.name == "proxmox-kernel-helper";
  EXPECT_EQ(helpers, 1);
}

TEST(Pveversion, StateTextsAreNotVersions) {
  Result<std::vector<PackageVersion>> packages =
      ParsePveversion("ceph: not correctly installed\nzfsutils-linux: residual config\n");
  ASSERT_TRUE(packages);
  ASSERT_EQ(packages->size(), 2u);
  EXPECT_EQ((*packages)[0].version, "");
  EXPECT_EQ((*packages)[0].note, "not correctly installed");
  EXPECT_EQ((*packages)[1].version, "");
}

TEST(Pveversion, ALineThatIsNotNameColonVersionIsAnErrorNamingIt) {
  Result<std::vector<PackageVersion>> packages = ParsePveversion("pve-manager: 9.1.1\nsomething odd\n");
  ASSERT_FALSE(packages);
  EXPECT_NE(packages.error().message.find("line 2"), std::string::npos) << packages.error().message;
}

}  // namespace
}  // namespace hainfra::pve
