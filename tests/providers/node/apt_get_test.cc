#include "providers/node/apt_get.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace hainfra::node {
namespace {

bool Has(const std::vector<std::string>& argv, const std::string& word) {
  return std::find(argv.begin(), argv.end(), word) != argv.end();
}

TEST(AptGet, InstallIsNonInteractiveKeepsConfigFilesAndWaitsForTheLock) {
  const std::vector<std::string> argv = AptGetInstallArgv({"pve-manager=9.1.1", "systemd-timesyncd-"}, false);
  EXPECT_TRUE(Has(argv, "DEBIAN_FRONTEND=noninteractive"));
  EXPECT_TRUE(Has(argv, "-y"));
  EXPECT_TRUE(Has(argv, "--allow-downgrades"));  // a pin below the installed version is declared
  EXPECT_TRUE(Has(argv, "Dpkg::Options::=--force-confold"));
  EXPECT_TRUE(Has(argv, "Dpkg::Options::=--force-confdef"));
  EXPECT_TRUE(std::any_of(argv.begin(), argv.end(), [](const std::string& a) {
    return a.starts_with("DPkg::Lock::Timeout=");
  }));
  EXPECT_FALSE(Has(argv, "--simulate"));
  EXPECT_EQ(argv[argv.size() - 2], "pve-manager=9.1.1");
  EXPECT_EQ(argv.back(), "systemd-timesyncd-");
}

TEST(AptGet, SimulationChangesNothing) {
  EXPECT_TRUE(Has(AptGetInstallArgv({"chrony"}, true), "--simulate"));
}

TEST(AptGet, MadisonListsBinaryVersionsPerPackage) {
  const std::string output =
      "pve-manager |      9.1.2 | file:/repo ./ Packages\n"
      "pve-manager |      9.1.1 | file:/repo ./ Packages\n"
      "pve-manager |      9.1.1 | http://x bookworm/main Sources\n"
      "   chrony | 4.3-2 | http://deb.debian.org/debian bookworm/main amd64 Packages\n";
  auto offered = ParseMadison(output);
  ASSERT_EQ(offered.size(), 2u);
  EXPECT_EQ(offered["pve-manager"], (std::vector<std::string>{"9.1.2", "9.1.1"}));
  EXPECT_EQ(offered["chrony"], (std::vector<std::string>{"4.3-2"}));
}

}  // namespace
}  // namespace hainfra::node
