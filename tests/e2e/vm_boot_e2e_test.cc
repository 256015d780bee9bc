// VMs that boot, end to end against pvesim: clones of a template (linked and full), a cloud image the same
// apply downloads and imports, an ISO in a CD-ROM drive (changed hot), and the images section's guards
// (an image in use is never removed, a checksum mismatch names the file).
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <algorithm>

#include <sstream>

#include "cli/cluster_session.h"
#include "cli/export_command.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"

namespace hainfra::testing {
namespace {

// pvesim's simulated download of a URL yields these bytes (docs/pvesim.md), so the right checksum is known.
std::string BootSha256Of(const std::string& url) {
  const std::string bytes = "pvesim simulated download of " + url + "\n";
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) hex += std::string{kHex[out[i] >> 4], kHex[out[i] & 15]};
  return hex;
}

constexpr const char* kBootLocal = R"(
  - { id: local, type: dir, path: /var/lib/vz, content: [iso, vztmpl, backup, import] }
)";

std::string BootSpecText(const std::string& images, const std::string& vms) {
  return std::string(kBootLocal) + (images.empty() ? "" : "images:\n" + images) + "vms:\n" + vms;
}

nlohmann::json BootConfig(E2eCluster& cluster, const std::string& node, int vmid) {
  return cluster.Client().Get("/nodes/" + node + "/qemu/" + std::to_string(vmid) + "/config").data();
}

constexpr const char* kBootTemplateAndClones = R"(
  - vmid: 9000
    name: debian-tmpl
    node: pve-01
    template: true
    memory: 1024
    disks: [ { slot: scsi0, storage: local-lvm, size: 8G } ]
    nets: [ { slot: net0, bridge: vmbr0 } ]
  - vmid: 101
    name: web-1
    node: pve-01
    clone: { from: "9000" }
    state: running
    cores: 2
    memory: 2048
    disks: [ { slot: scsi0, storage: local-lvm, size: 8G } ]
    nets: [ { slot: net0, bridge: vmbr0, tag: 20 } ]
  - vmid: 102
    name: web-2
    node: pve-01
    clone: { from: debian-tmpl, full: true, storage: local-lvm }
    memory: 1024
    disks: [ { slot: scsi0, storage: local-lvm, size: 16G } ]
    nets: [ { slot: net0, bridge: vmbr0 } ]
)";

TEST(VmBootE2e, ATemplateAndItsLinkedAndFullClonesConvergeInOneApply) {
  E2E_START_OR_SKIP(cluster);
  Spec spec = LoadVmsOrFail(*cluster, BootSpecText("", kBootTemplateAndClones));
  ApplyConverges(*cluster, spec);

  nlohmann::json tmpl = BootConfig(*cluster, "pve-01", 9000);
  EXPECT_EQ(tmpl.value("template", 0), 1) << tmpl.dump();
  EXPECT_EQ(tmpl.value("scsi0", ""), "local-lvm:base-9000-disk-0,size=8G");
  nlohmann::json linked = BootConfig(*cluster, "pve-01", 101);
  EXPECT_EQ(linked.value("cores", 0), 2);
  EXPECT_EQ(linked.value("tags", ""), "hainfra");
  EXPECT_NE(linked.value("net0", "").find("tag=20"), std::string::npos) << linked.dump();
  EXPECT_EQ(cluster->Client().Get("/nodes/pve-01/qemu/101/status/current").data().value("status", ""), "running");
  nlohmann::json full = BootConfig(*cluster, "pve-01", 102);
  EXPECT_EQ(full.value("scsi0", ""), "local-lvm:vm-102-disk-0,size=16G") << "cloned, then grown: " << full.dump();
  EXPECT_EQ(full.value("name", ""), "web-2");
}

TEST(VmBootE2e, TheCloneSourceIsUsedOnceAndNeverDiffed) {
  E2E_START_OR_SKIP(cluster);
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, BootSpecText("", kBootTemplateAndClones)));
  std::string changed = kBootTemplateAndClones;
  const std::string from = "clone: { from: \"9000\" }";
  changed.replace(changed.find(from), from.size(), "clone: { from: \"9999\", full: true }");
  ExpectEmptyPlan(*cluster, LoadVmsOrFail(*cluster, BootSpecText("", changed)));
}

TEST(VmBootE2e, AMissingCloneSourceIsRefusedAtPlanOnItsLine) {
  E2E_START_OR_SKIP(cluster);
  Spec spec = LoadVmsOrFail(*cluster, BootSpecText("", R"(
  - vmid: 101
    node: pve-01
    clone: { from: "9000" }
)"));
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  std::string diagnostics = StepsOf(*plan);
  EXPECT_NE(diagnostics.find("vm/101: clone.from: the clone source 9000 is neither in the cluster nor declared"),
            std::string::npos) << diagnostics;
  EXPECT_NE(diagnostics.find("spec.yaml:"), std::string::npos) << diagnostics;
}

TEST(VmBootE2e, ACloudImageVmImportsTheImageTheSameApplyDownloads) {
  E2E_START_OR_SKIP(cluster);
  const std::string url = "https://cloud.example.org/noble-server-cloudimg-amd64.img";
  Spec spec = LoadVmsOrFail(*cluster, BootSpecText(R"(
  - name: noble
    storage: local
    nodes: [pve-01]
    url: )" + url + R"(
    content: import
    filename: noble.qcow2
    checksum: sha256:)" + BootSha256Of(url) + "\n", R"(
  - vmid: 200
    name: cloud
    node: pve-01
    state: running
    disks: [ { slot: scsi0, storage: local-lvm, size: 10G, import_from: "local:import/noble.qcow2" } ]
    nets: [ { slot: net0, bridge: vmbr0 } ]
    cloud_init: { user: ubuntu, storage: local-lvm }
)"));
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 2u) << StepsOf(*plan);
  EXPECT_EQ(plan->steps[0].change.address.ToString(), "image/noble");
  EXPECT_EQ(plan->steps[1].change.address.ToString(), "vm/200");
  const std::vector<int>& deps = plan->steps[1].deps;
  EXPECT_NE(std::find(deps.begin(), deps.end(), plan->steps[0].id), deps.end()) << "the VM waits for its image";
  ApplyConverges(*cluster, spec);
  nlohmann::json conf = BootConfig(*cluster, "pve-01", 200);
  EXPECT_EQ(conf.value("scsi0", ""), "local-lvm:vm-200-disk-0,size=10G") << "imported (2G), then grown: " << conf.dump();
  EXPECT_EQ(cluster->Client().Get("/nodes/pve-01/qemu/200/status/current").data().value("status", ""), "running");
}

constexpr const char* kBootIsoImages = R"(
  - { name: netinst-a, storage: local, nodes: [pve-01], url: "https://iso.example.org/a.iso", content: iso, checksum: "sha256:%A" }
  - { name: netinst-b, storage: local, nodes: [pve-01], url: "https://iso.example.org/b.iso", content: iso, checksum: "sha256:%B" }
)";

std::string BootIsoImages() {
  std::string text = kBootIsoImages;
  text.replace(text.find("%A"), 2, BootSha256Of("https://iso.example.org/a.iso"));
  text.replace(text.find("%B"), 2, BootSha256Of("https://iso.example.org/b.iso"));
  return text;
}

std::string BootIsoVm(const std::string& iso) {
  return R"(
  - vmid: 300
    name: installer
    node: pve-01
    state: running
    boot: [ide2, scsi0]
    serial0: socket
    vga: { type: serial0 }
    cdrom: { ide2: "local:iso/)" + iso + R"(" }
    disks: [ { slot: scsi0, storage: local-lvm, size: 8G } ]
)";
}

TEST(VmBootE2e, AnIsoVmBootsFromItsCdromAndAnIsoChangeIsHot) {
  E2E_START_OR_SKIP(cluster);
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, BootSpecText(BootIsoImages(), BootIsoVm("a.iso"))));
  nlohmann::json conf = BootConfig(*cluster, "pve-01", 300);
  EXPECT_EQ(conf.value("ide2", ""), "local:iso/a.iso,media=cdrom");
  EXPECT_EQ(conf.value("boot", ""), "order=ide2;scsi0");
  EXPECT_EQ(conf.value("serial0", ""), "socket");

  Spec changed = LoadVmsOrFail(*cluster, BootSpecText(BootIsoImages(), BootIsoVm("b.iso")));
  auto plan = cluster->MakePlan(changed);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << StepsOf(*plan);
  EXPECT_EQ(StepsOf(*plan), "vm/300 update: cdrom[ide2]\n");
  EXPECT_FALSE(plan->steps[0].change.reboot) << "a new medium is hot";
  ApplyConverges(*cluster, changed);
  EXPECT_EQ(BootConfig(*cluster, "pve-01", 300).value("ide2", ""), "local:iso/b.iso,media=cdrom");
}

TEST(VmBootE2e, AnImageAGuestUsesIsNeverRemoved) {
  E2E_START_OR_SKIP(cluster);
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, BootSpecText(BootIsoImages(), BootIsoVm("a.iso"))));
  // The guest is not in the spec any more: the cluster still says it uses the ISO.
  std::string absent = BootIsoImages();
  absent.replace(absent.find("name: netinst-a,"), 16, "name: netinst-a, state: absent,");
  Spec spec = LoadVmsOrFail(*cluster, BootSpecText(absent, "  []\n"));
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  std::string out = StepsOf(*plan);
  EXPECT_NE(out.find("image/netinst-a: state: local:iso/a.iso is still used by vm/300"), std::string::npos) << out;
  // In the spec too, the guest using it is named at its own line.
  auto both = cluster->Load(std::string(kVmSpecHeader) + BootSpecText(absent, BootIsoVm("a.iso")));
  ASSERT_FALSE(both);
  EXPECT_NE(both.error().message.find("vm/300: uses local:iso/a.iso, which image/netinst-a removes"), std::string::npos)
      << both.error().message;
}

TEST(VmBootE2e, AnUnusedImageIsRemovedWithConsent) {
  E2E_START_OR_SKIP(cluster);
  ApplyConverges(*cluster, LoadVmsOrFail(*cluster, BootSpecText(BootIsoImages(), "  []\n")));
  std::string absent = BootIsoImages();
  absent.replace(absent.find("name: netinst-b,"), 16, "name: netinst-b, state: absent,");
  Spec spec = LoadVmsOrFail(*cluster, BootSpecText(absent, "  []\n"));
  auto plan = cluster->MakePlan(spec);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 1u) << StepsOf(*plan);
  EXPECT_TRUE(plan->steps[0].change.destructive);
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  CommandRun run = cluster->RunApply(spec, options);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  ExpectEmptyPlan(*cluster, spec);
  auto list = cluster->Client().Get("/nodes/pve-01/storage/local/content", {{"content", "iso"}}).data();
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0].value("volid", ""), "local:iso/a.iso");
}

TEST(VmBootE2e, AChecksumMismatchFailsTheApplyNamingTheFile) {
  E2E_START_OR_SKIP(cluster);
  Spec spec = LoadVmsOrFail(*cluster, BootSpecText(R"(
  - name: bad
    storage: local
    nodes: [pve-02]
    url: https://iso.example.org/tampered.iso
    content: iso
    checksum: sha256:)" + std::string(64, '0') + "\n", "  []\n"));
  CommandRun run = cluster->RunApply(spec);
  EXPECT_NE(run.exit_code, 0);
  const std::string all = run.out + run.err;
  EXPECT_NE(all.find("downloading tampered.iso to local on pve-02"), std::string::npos) << all;
  EXPECT_NE(all.find("checksum mismatch"), std::string::npos) << all;
}

TEST(VmBootE2e, ADownloadWithoutChecksumIsALocatedValidateError) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(std::string(kVmSpecHeader) + BootSpecText(R"(
  - name: unchecked
    storage: local
    url: https://iso.example.org/x.iso
    content: iso
)", "  []\n"));
  ASSERT_FALSE(spec);
  EXPECT_NE(spec.error().message.find("spec.yaml:"), std::string::npos) << spec.error().message;
  EXPECT_NE(spec.error().message.find("image/unchecked: a download needs `checksum"), std::string::npos) << spec.error().message;
}

TEST(VmBootE2e, ACtTemplateComesFromTheApplianceIndexOnEveryNode) {
  E2E_START_OR_SKIP(cluster);
  Spec spec = LoadVmsOrFail(*cluster, BootSpecText(R"(
  - { name: debian-12, storage: local, template: debian-12-standard_12.7-1_amd64.tar.zst }
)", "  []\n"));
  ApplyConverges(*cluster, spec);
  for (const char* node : {"pve-01", "pve-02", "pve-03"}) {
    auto list = cluster->Client().Get(std::string("/nodes/") + node + "/storage/local/content", {{"content", "vztmpl"}}).data();
    ASSERT_EQ(list.size(), 1u) << node << list.dump();
    EXPECT_EQ(list[0].value("volid", ""), "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
  }
}

TEST(VmBootE2e, ExportRoundTripsTemplatesCdromsAndDisplaysButNotTheCloneSource) {
  E2E_START_OR_SKIP(cluster);
  const std::string vms = std::string(kBootTemplateAndClones) + BootIsoVm("a.iso");
  Spec spec = LoadVmsOrFail(*cluster, BootSpecText(BootIsoImages(), vms));
  ApplyConverges(*cluster, spec);

  auto session = cli::ClusterSession::Open(spec, cluster->Env(), nullptr);
  ASSERT_TRUE(session) << session.error().message;
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  ASSERT_EQ(cli::RunExport(spec, (*session)->kinds(), {}, console), 0) << err.str();
  const std::string exported = out.str();
  EXPECT_NE(exported.find("template: true"), std::string::npos) << exported;
  EXPECT_NE(exported.find("serial0: socket"), std::string::npos) << exported;
  EXPECT_NE(exported.find("local:iso/a.iso"), std::string::npos) << exported;
  EXPECT_EQ(exported.find("clone"), std::string::npos) << "a clone is an ordinary VM afterwards: " << exported;
  EXPECT_EQ(exported.find("import_from"), std::string::npos) << exported;

  auto again = cluster->Load(exported, "export.yaml");
  ASSERT_TRUE(again) << again.error().message << exported;
  ExpectEmptyPlan(*cluster, *again);
}

}  // namespace
}  // namespace hainfra::testing
