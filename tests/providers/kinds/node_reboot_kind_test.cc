// `baselines[].reboot`: bad values are located errors; a node naming such a baseline gets a node_reboot object
// carrying its baseline's packages; which apt requests install a kernel a reboot must load.
#include <gtest/gtest.h>

#include <algorithm>

#include "providers/kind_deps.h"
#include "providers/kinds/node_reboot_kind.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::providers {
namespace {

std::string RebootSpec(const std::string& reboot) {
  return "cluster: { name: lab, api: { endpoint: \"https://10.0.0.11:8006\", token: \"hainfra@pve!ci\", secret: x } }\n"
         "baselines:\n"
         "  - name: patched\n"
         "    packages: { present: [proxmox-kernel-6.17.9-1-pve-signed] }\n"
         "    reboot: " + reboot + "\n"
         "nodes:\n"
         "  - { name: pve-01, address: 10.0.0.11, baseline: patched }\n"
         "  - { name: pve-02, address: 10.0.0.12 }\n";
}

// Whether some diagnostic is on `line` and mentions `text`.
bool RebootDiagnosed(const std::vector<std::string>& lines, int line, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
    return l.starts_with(std::to_string(line) + ":") && l.find(text) != std::string::npos;
  });
}

TEST(NodeRebootKind, AnUnknownWhenIsALocatedError) {
  const auto lines = testing::Diagnose(RebootSpec("{ when: sometimes }"));
  EXPECT_TRUE(RebootDiagnosed(lines, 5, "sometimes")) << ::testing::PrintToString(lines);
}

TEST(NodeRebootKind, AWindowThatDoesNotParseIsALocatedErrorNamingTheToken) {
  const auto lines = testing::Diagnose(RebootSpec("{ when: kernel, window: \"Mon..Fro 02:00..05:00\" }"));
  EXPECT_TRUE(RebootDiagnosed(lines, 5, "reboot window: bad calendar `Mon..Fro 02:00..05:00`: unknown weekday `Fro`")) << ::testing::PrintToString(lines);
}

TEST(NodeRebootKind, AnUnknownTimeZoneIsALocatedError) {
  const auto lines = testing::Diagnose(RebootSpec("{ when: kernel, window: \"Sat 02:00..05:00\", timezone: Mars/Olympus }"));
  EXPECT_TRUE(RebootDiagnosed(lines, 5, "Mars/Olympus")) << ::testing::PrintToString(lines);
}

TEST(NodeRebootKind, AMissingWhenIsALocatedError) {
  const auto lines = testing::Diagnose(RebootSpec("{ window: \"Sat 02:00..05:00\" }"));
  EXPECT_TRUE(RebootDiagnosed(lines, 5, "when")) << ::testing::PrintToString(lines);
}

TEST(NodeRebootKind, ANodeNamingTheBaselineGetsOneObjectWithItsPackages) {
  spec::LoadResult loaded = testing::LoadYaml(RebootSpec("{ when: kernel, window: \"Sat 02:00..05:00\" }"));
  ASSERT_FALSE(HasErrors(loaded.diagnostics)) << ::testing::PrintToString(testing::Lines(loaded.diagnostics));
  KindDeps deps;
  auto kind = MakeNodeRebootKind(deps);
  std::vector<Resource> desired = kind->Desired(loaded.spec);
  ASSERT_EQ(desired.size(), 1u);
  EXPECT_EQ(desired[0].address.ToString(), "node_reboot/pve-01");
  EXPECT_EQ(desired[0].body["reboot_pending"], false);
  EXPECT_EQ(desired[0].body["window"], "Sat 02:00..05:00");
  EXPECT_EQ(desired[0].body["packages"]["present"], Value::array({"proxmox-kernel-6.17.9-1-pve-signed"}));
  EXPECT_EQ(kind->Scope(desired[0].body).node, "pve-01");
  EXPECT_TRUE(kind->traits().rolling);
  EXPECT_EQ(desired[0].where.line, 5);
}

// Review's table: a pending reboot that may run is an update saying why; a withheld one is held back (no
// fields, so no change of this run and no drift) with why it waits.
TEST(NodeRebootKind, AWithheldRebootIsHeldBackWithItsReasonAndIsNoChange) {
  KindDeps deps;
  auto kind = MakeNodeRebootKind(deps);
  Resource desired;
  desired.address = Address{"node_reboot", "pve-02"};
  desired.body = Value{{"reboot_pending", false}, {"when", "never"}, {"node", "pve-02"}};
  Observed observed;
  observed.address = desired.address;
  observed.body = Value{{"reboot_pending", true}, {"node", "pve-02"},
                        {"why", "kernel 6.17.2-1-pve running, 6.17.9-1-pve installed"},
                        {"withheld", "withheld: `when: never` (reboot with `hainfra reboot`)"}};
  FieldChange pending;
  pending.path = "reboot_pending";
  pending.pointer = "/reboot_pending";
  pending.before = true;
  pending.after = false;
  Change change;
  change.fields.push_back(pending);
  ASSERT_TRUE(kind->Review(desired, observed, change));
  EXPECT_TRUE(change.fields.empty());
  EXPECT_EQ(change.held, "reboot pending: kernel 6.17.2-1-pve running, 6.17.9-1-pve installed; withheld: "
                         "`when: never` (reboot with `hainfra reboot`)");

  observed.body.erase("withheld");
  Change may_run;
  may_run.fields.push_back(pending);
  ASSERT_TRUE(kind->Review(desired, observed, may_run));
  EXPECT_EQ(may_run.fields.size(), 1u);
  EXPECT_TRUE(may_run.held.empty());
  EXPECT_NE(may_run.reason.find("kernel 6.17.2-1-pve running, 6.17.9-1-pve installed; rolling reboot"),
            std::string::npos) << may_run.reason;
}

TEST(NodeRebootKind, OnlyInstalledKernelImagesNeedAReboot) {
  EXPECT_TRUE(InstallsKernel("proxmox-kernel-6.17.9-1-pve-signed"));
  EXPECT_TRUE(InstallsKernel("proxmox-kernel-6.17=6.17.9-1"));
  EXPECT_TRUE(InstallsKernel("linux-image-amd64"));
  EXPECT_FALSE(InstallsKernel("proxmox-kernel-6.14.8-2-pve-signed-"));  // a removal
  EXPECT_FALSE(InstallsKernel("proxmox-kernel-helper"));
  EXPECT_FALSE(InstallsKernel("chrony=4.3-2"));
}

}  // namespace
}  // namespace hainfra::providers
