#include "providers/kinds/packages_plan.h"

#include <gtest/gtest.h>

namespace hainfra::providers {
namespace {

node::PackageStates States(const std::string& dpkg_output) {
  Result<node::PackageStates> states = node::ParseDpkgQuery(dpkg_output);
  EXPECT_TRUE(states) << states.error().message;
  return states ? *states : node::PackageStates{};
}

Value Part() {
  return Value::parse(R"({"present": ["chrony"], "absent": ["systemd-timesyncd"], "versions": {"pve-manager": "9.1.1"}})");
}

TEST(PackagesPlan, PinsAreHeld) {
  Value desired = DesiredPackages(Part());
  EXPECT_EQ(desired["held"], Value::array({"pve-manager"}));
  EXPECT_EQ(PackageNames(desired), (std::vector<std::string>{"chrony", "pve-manager", "systemd-timesyncd"}));
}

TEST(PackagesPlan, ANodeThatMatchesNeedsNothingAndObservesAsDesired) {
  Value desired = DesiredPackages(Part());
  node::PackageStates states = States(
      "chrony\t4.3-2\tinstall ok installed\n"
      "pve-manager\t9.1.1\thold ok installed\n"
      "systemd-timesyncd\t252\tdeinstall ok config-files\n");
  EXPECT_TRUE(PlanPackages(desired, states).empty());
  Value observed = ObservedPackages(desired, states);
  EXPECT_EQ(observed["present"], Value::array({"chrony", "pve-manager"}));
  EXPECT_EQ(observed["absent"], Value::array({"systemd-timesyncd"}));
  EXPECT_EQ(observed["versions"], Value({{"pve-manager", "9.1.1"}}));
  EXPECT_EQ(observed["held"], Value::array({"pve-manager"}));
}

TEST(PackagesPlan, OneTransactionInstallsPinsAndRemoves) {
  Value desired = DesiredPackages(Part());
  node::PackageStates states = States(
      "pve-manager\t9.1.2\thold ok installed\n"
      "systemd-timesyncd\t252\tinstall ok installed\n");
  PackageActions a = PlanPackages(desired, states);
  EXPECT_EQ(a.requests, (std::vector<std::string>{"pve-manager=9.1.1", "chrony", "systemd-timesyncd-"}));
  EXPECT_EQ(a.removals, (std::vector<std::string>{"systemd-timesyncd"}));
  EXPECT_EQ(a.unhold, (std::vector<std::string>{"pve-manager"}));  // apt leaves held packages alone
  EXPECT_EQ(a.hold, (std::vector<std::string>{"pve-manager"}));    // and it is held again after
  ASSERT_EQ(a.needed.size(), 2u);
  EXPECT_EQ(a.needed[0], (std::pair<std::string, std::string>{"pve-manager", "9.1.1"}));
  EXPECT_EQ(a.needed[1], (std::pair<std::string, std::string>{"chrony", ""}));
}

TEST(PackagesPlan, ARightVersionNotHeldOnlyNeedsTheHold) {
  Value desired = DesiredPackages(Part());
  node::PackageStates states = States(
      "chrony\t4.3-2\tinstall ok installed\n"
      "pve-manager\t9.1.1\tinstall ok installed\n");
  PackageActions a = PlanPackages(desired, states);
  EXPECT_TRUE(a.requests.empty());
  EXPECT_EQ(a.hold, (std::vector<std::string>{"pve-manager"}));
  EXPECT_FALSE(a.empty());
}

TEST(PackagesPlan, SimulatedRemovalsAreReadFromRemvLines) {
  const std::string simulation =
      "NOTE: This is only a simulation!\n"
      "Remv hainfra-test-c [1.0-1]\n"
      "Remv libfoo:amd64 [2.0]\n"
      "Inst hainfra-test-a [2.0-1] (1.0-1 lab:./ [all])\n"
      "Conf hainfra-test-a (1.0-1 lab:./ [all])\n";
  EXPECT_EQ(SimulatedRemovals(simulation), (std::vector<std::string>{"hainfra-test-c", "libfoo"}));
}

}  // namespace
}  // namespace hainfra::providers
