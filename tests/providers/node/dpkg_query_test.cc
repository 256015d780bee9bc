#include "providers/node/dpkg_query.h"

#include <gtest/gtest.h>

namespace hainfra::node {
namespace {

TEST(DpkgQuery, ArgvPassesEveryNameAsItsOwnArgumentAfterDashDash) {
  const std::vector<std::string> argv = DpkgQueryArgv({"chrony", "$(reboot)"});
  ASSERT_GE(argv.size(), 3u);
  EXPECT_EQ(argv.front(), "dpkg-query");
  EXPECT_EQ(argv[argv.size() - 3], "--");
  EXPECT_EQ(argv[argv.size() - 2], "chrony");
  EXPECT_EQ(argv.back(), "$(reboot)");
}

TEST(DpkgQuery, UnknownNamesStillCountAsSuccess) {
  EXPECT_TRUE(DpkgQuerySucceeded(0));
  EXPECT_TRUE(DpkgQuerySucceeded(1));
  EXPECT_FALSE(DpkgQuerySucceeded(2));
}

TEST(DpkgQuery, ParsesInstalledHeldRemovedAndConfigFilesStates) {
  const std::string output =
      "chrony\t4.3-2+deb12u1\tinstall ok installed\n"
      "pve-manager\t9.1.1\thold ok installed\n"
      "systemd-timesyncd\t252.30-1~deb12u2\tdeinstall ok config-files\n"
      "nano\t\tunknown ok not-installed\n";
  Result<PackageStates> states = ParseDpkgQuery(output);
  ASSERT_TRUE(states) << states.error().message;
  ASSERT_EQ(states->size(), 4u);
  EXPECT_TRUE(states->at("chrony").installed);
  EXPECT_FALSE(states->at("chrony").held);
  EXPECT_EQ(states->at("chrony").version, "4.3-2+deb12u1");
  EXPECT_TRUE(states->at("pve-manager").installed);
  EXPECT_TRUE(states->at("pve-manager").held);
  EXPECT_FALSE(states->at("systemd-timesyncd").installed);
  EXPECT_EQ(states->at("systemd-timesyncd").status, "config-files");
  EXPECT_FALSE(states->at("nano").installed);
  EXPECT_EQ(states->at("nano").version, "");
}

TEST(DpkgQuery, APackageOfSeveralArchitecturesCountsInstalledWhenAnyIs) {
  Result<PackageStates> states = ParseDpkgQuery(
      "libc6\t2.36-9\tdeinstall ok config-files\n"
      "libc6\t2.36-9\tinstall ok installed\n");
  ASSERT_TRUE(states);
  EXPECT_TRUE(states->at("libc6").installed);
}

TEST(DpkgQuery, MalformedLineIsAnErrorNamingTheLine) {
  Result<PackageStates> states = ParseDpkgQuery("chrony\t4.3\tinstall ok installed\ngarbage line\n");
  ASSERT_FALSE(states);
  EXPECT_NE(states.error().message.find("line 2"), std::string::npos) << states.error().message;
}

}  // namespace
}  // namespace hainfra::node
