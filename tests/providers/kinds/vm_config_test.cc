// The VM kind's translation and normalization: real captured configs read without phantom differences
// against their own spec; Proxmox spellings (sizes, 0/1, property-string order, tag case) compare equal.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/plan/diff.h"
#include "providers/kinds/vm.h"
#include "providers/kinds/vm_config.h"
#include "tests/testing/spec_testing.h"

namespace hainfra::providers {
namespace {

constexpr const char* kHeader = R"(
cluster:
  name: lab
  api: { endpoint: https://10.0.0.11:8006, token: hainfra@pve!ci, secret: "${env:PVE_SECRET}" }
nodes:
  - { name: pve-01, address: 10.0.0.11 }
storage:
  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data, content: [images, rootdir] }
  - { id: storage, type: dir, path: /srv/storage, content: [images] }
)";

Value ReadFixture(const std::string& name, bool& found) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  found = static_cast<bool>(in);
  if (!found) return Value();
  std::stringstream text;
  text << in.rdbuf();
  Value v = Value::parse(text.str());
  return v.contains("data") ? v["data"] : v;
}

struct VmKindFixture {
  KindDeps deps;
  VmKind kind{deps};
};

// The one vm of `vms_yaml` (below kHeader), loaded like the CLI loads it.
Resource LoadVm(const std::string& vms_yaml) {
  auto loaded = testing::LoadYaml(std::string(kHeader) + vms_yaml);
  for (const auto& d : loaded.diagnostics) {
    if (d.severity == Severity::kError) ADD_FAILURE() << d.ToString();
  }
  auto vms = loaded.spec.OfKind("vm");
  if (vms.size() != 1) {
    ADD_FAILURE() << "expected one vm";
    return {};
  }
  return *vms.front();
}

Observed ObservedFrom(const Value& config, const std::string& vmid, const std::string& state = "stopped") {
  auto body = vm::ConfigToBody(config);
  EXPECT_TRUE(body) << body.error().message;
  Observed o;
  o.address = {"vm", vmid};
  o.body = *body;
  o.body["vmid"] = std::stoi(vmid);
  o.body["node"] = "pve-01";
  o.body["state"] = state;
  o.version = config.value("digest", "d");
  return o;
}

Change DiffOf(const VmKind& kind, const Resource& desired, const Observed& observed, Diagnostics& diags) {
  return plan::Diff(kind, &desired, &observed, {}, diags);
}

std::string Paths(const Change& change) {
  std::string out;
  for (const FieldChange& f : change.fields) out += f.path + " ";
  return out;
}

TEST(VmConfig, RealConfig101ReadsWithoutDifferencesAgainstItsSpec) {
  bool found = false;
  Value config = ReadFixture("api-nodes-node-qemu-vmid-config-101.json", found);
  if (!found) GTEST_SKIP() << "shared fixtures not found (HAINFRA_SHARED_DIR)";
  VmKindFixture f;
  Resource desired = LoadVm(R"(
vms:
  - vmid: 101
    name: test1
    node: pve-01
    cores: 1
    sockets: 1
    memory: 2048
    ostype: l26
    scsihw: virtio-scsi-single
    disks: [ { slot: scsi0, storage: local-lvm, size: 32768M, iothread: true, cache: none, backup: true } ]
    nets: [ { slot: net0, model: virtio, bridge: vmbr0, firewall: true, macaddr: 4e:79:9f:a8:ee:e4 } ]
    numa: false
    tags: []
)");
  Diagnostics diags;
  Change change = DiffOf(f.kind, desired, ObservedFrom(config, "101"), diags);
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(change.action, Action::kNoOp) << Paths(change);
}

TEST(VmConfig, RealConfig102ReadsWithoutDifferencesAgainstItsSpec) {
  bool found = false;
  Value config = ReadFixture("api-nodes-node-qemu-vmid-config-102.json", found);
  if (!found) GTEST_SKIP() << "shared fixtures not found (HAINFRA_SHARED_DIR)";
  VmKindFixture f;
  Resource desired = LoadVm(R"(
vms:
  - vmid: 102
    name: test-qemu-windows
    node: pve-01
    cores: 6
    sockets: 1
    memory: 10240
    balloon: 0
    numa: false
    agent: true
    onboot: true
    ostype: win8
    scsihw: virtio-scsi-pci
    disks: [ { slot: sata0, storage: storage, size: 100G } ]
    nets: [ { slot: net0, bridge: vmbr0 } ]
)");
  Diagnostics diags;
  Change change = DiffOf(f.kind, desired, ObservedFrom(config, "102"), diags);
  EXPECT_EQ(change.action, Action::kNoOp) << Paths(change);
  EXPECT_EQ(change.version, "460add1531a7068d2ae62d54f67e8fb9493dece9");
}

TEST(VmConfig, RealConfig103ReadsWithoutDifferencesAgainstItsSpec) {
  bool found = false;
  Value config = ReadFixture("api-nodes-node-qemu-vmid-config-103.json", found);
  if (!found) GTEST_SKIP() << "shared fixtures not found (HAINFRA_SHARED_DIR)";
  VmKindFixture f;
  Resource desired = LoadVm(R"(
vms:
  - vmid: 103
    name: test-qemu-multi-nic
    node: pve-01
    cores: 4
    memory: 8192
    agent: true
    onboot: true
    ostype: l26
    scsihw: virtio-scsi-pci
    disks:
      - { slot: scsi2, storage: storage, size: 10G }
      - { slot: scsi0, storage: storage, size: 10G }
      - { slot: scsi1, storage: storage, size: 30720M }
    nets:
      - { slot: net1, bridge: vmbr1 }
      - { slot: net0, bridge: vmbr0, firewall: false }
)");
  Diagnostics diags;
  Change change = DiffOf(f.kind, desired, ObservedFrom(config, "103"), diags);
  EXPECT_EQ(change.action, Action::kNoOp) << Paths(change);
}

TEST(VmConfig, ProxmoxAdditionsAndCdromsAreNotManaged) {
  bool found = false;
  Value config = ReadFixture("api-nodes-node-qemu-vmid-config-103.json", found);
  if (!found) GTEST_SKIP() << "shared fixtures not found (HAINFRA_SHARED_DIR)";
  auto body = vm::ConfigToBody(config);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_FALSE(body->contains("smbios1"));
  EXPECT_FALSE(body->contains("vmgenid"));
  ASSERT_EQ((*body)["disks"].size(), 3u);  // ide2 is a CD-ROM
  EXPECT_EQ((*body)["disks"][0]["slot"], "scsi0");
  EXPECT_EQ((*body)["disks"][1]["slot"], "scsi1");
  EXPECT_EQ((*body)["nets"][1]["bridge"], "vmbr1");
  EXPECT_EQ((*body)["nets"][0]["macaddr"], "FF:FF:FF:FF:FF:FF");
}

TEST(VmConfig, DisksNetsMemoryTagsAndCloudInitTranslateIntoTheSpecShape) {
  Value config = {
      {"memory", "current=8192"},
      {"scsi0", "ceph-vm:vm-100-disk-0,size=32G,iothread=1,discard=on"},
      {"net0", "virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=20,trunks=10;20"},
      {"tags", "Web;hainfra;db"},
      {"boot", "order=scsi0;net0"},
      {"startup", "order=2,up=30"},
      {"agent", "1,type=virtio"},
      {"efidisk0", "ceph-vm:vm-100-disk-1,efitype=4m,pre-enrolled-keys=1,size=528K"},
      {"ide2", "ceph-vm:vm-100-cloudinit,media=cdrom"},
      {"ciuser", "ops"},
      {"cipassword", "**********"},
      {"sshkeys", "ssh-ed25519%20AAAA%20a%40b%0Assh-rsa%20BBBB%0A"},
      {"ipconfig0", "ip=10.0.0.5/24,gw=10.0.0.1"},
      {"nameserver", "10.0.0.2 10.0.0.3"},
      {"unused0", "ceph-vm:vm-100-disk-9"},
  };
  auto body = vm::ConfigToBody(config);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ((*body)["memory"], 8192);
  const Value& disk = (*body)["disks"][0];
  EXPECT_EQ(disk["storage"], "ceph-vm");
  EXPECT_EQ(disk["size"], "32G");
  EXPECT_EQ(disk["iothread"], true);
  EXPECT_EQ(disk["discard"], true);
  EXPECT_EQ((*body)["disks"].size(), 1u);  // unused0 and the cloud-init drive are no disks
  const Value& net = (*body)["nets"][0];
  EXPECT_EQ(net["model"], "virtio");
  EXPECT_EQ(net["macaddr"], "BC:24:11:00:00:01");
  EXPECT_EQ(net["tag"], 20);
  EXPECT_EQ(net["trunks"], Value({"10", "20"}));
  EXPECT_EQ((*body)["tags"], Value({"db", "web"}));
  EXPECT_EQ((*body)["boot"], Value({"scsi0", "net0"}));
  EXPECT_EQ((*body)["startup"], Value({{"order", 2}, {"up", 30}}));
  EXPECT_EQ((*body)["agent"], true);
  EXPECT_EQ((*body)["efi_disk"]["efitype"], "4m");
  EXPECT_EQ((*body)["efi_disk"]["pre_enrolled_keys"], true);
  const Value& ci = (*body)["cloud_init"];
  EXPECT_EQ(ci["user"], "ops");
  EXPECT_FALSE(ci.contains("password"));  // reported masked: not comparable
  EXPECT_EQ(ci["ssh_keys"], Value({"ssh-ed25519 AAAA a@b", "ssh-rsa BBBB"}));
  EXPECT_EQ(ci["ip"][0]["gateway"], "10.0.0.1");
  EXPECT_EQ(ci["nameservers"], Value({"10.0.0.2", "10.0.0.3"}));
  EXPECT_EQ(ci["storage"], "ceph-vm");
  EXPECT_TRUE(vm::HasOwnerTag("Web;hainfra;db"));
}

TEST(VmConfig, CdromsInTheDefaultBootOrderAreNotPartOfTheSpecsBootOrder) {
  // qemu-server's default boot order lists the cloud-init drive; the spec's boot order names disks and NICs.
  Value config = {{"scsi0", "ceph-vm:vm-301-disk-0,size=32G"},
                  {"ide2", "ceph-vm:vm-301-cloudinit,media=cdrom"},
                  {"net0", "virtio=BC:24:11:00:00:02,bridge=vmbr0"},
                  {"boot", "order=scsi0;ide2;net0"}};
  auto body = vm::ConfigToBody(config);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ((*body)["boot"], Value({"scsi0", "net0"}));
}

TEST(VmConfig, CdromsTemplatesDisplaysTpmAndPassthroughTranslateIntoTheSpecShape) {
  Value config = {{"ide2", "local:iso/debian.iso,media=cdrom"}, {"ide0", "local-lvm:vm-300-cloudinit,media=cdrom"},
                  {"sata1", "none,media=cdrom"},        {"boot", "order=ide2;scsi0;ide0"},
                  {"scsi0", "local-lvm:base-300-disk-0,size=8G"},
                  {"template", 1},                      {"serial0", "socket"},
                  {"vga", "serial0,memory=32"},         {"tpmstate0", "local-lvm:vm-300-disk-1,size=4M,version=v2.0"},
                  {"hostpci0", "mapping=gpu,pcie=1"},   {"usb1", "mapping=dongle,usb3=1"}};
  auto body = vm::ConfigToBody(config);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ((*body)["cdrom"], Value({{"ide2", "local:iso/debian.iso"}, {"sata1", "none"}})) << "not the cloud-init drive";
  EXPECT_EQ((*body)["boot"], Value({"ide2", "scsi0"}));
  EXPECT_EQ((*body)["template"], true);
  EXPECT_EQ((*body)["serial0"], "socket");
  EXPECT_EQ((*body)["vga"], Value({{"type", "serial0"}, {"memory", 32}}));
  EXPECT_EQ((*body)["tpm_state"], Value({{"storage", "local-lvm"}, {"version", "v2.0"}}));
  EXPECT_EQ((*body)["hostpci"][0], Value({{"slot", "hostpci0"}, {"mapping", "gpu"}, {"pcie", true}, {"rombar", true}, {"x_vga", false}}));
  EXPECT_EQ((*body)["usb"][0], Value({{"slot", "usb1"}, {"mapping", "dongle"}, {"usb3", true}}));
  ASSERT_EQ((*body)["disks"].size(), 1u);
}

TEST(VmConfig, ProxmoxsDefaultsForTheBootFieldsAreFilledIn) {
  auto body = vm::ConfigToBody(Value{{"scsi0", "local-lvm:vm-100-disk-0,size=8G"}});
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ((*body)["template"], false);
  EXPECT_EQ((*body)["vga"], Value({{"type", "std"}}));
  EXPECT_EQ((*body)["cdrom"], Value::object());
  EXPECT_EQ((*body)["hostpci"], Value::array());
}

TEST(VmReview, ATemplateCannotBecomeAVmAgain) {
  VmKindFixture f;
  Resource desired = LoadVm(R"(
vms:
  - { vmid: 9000, node: pve-01, template: false }
)");
  Observed observed = ObservedFrom(Value{{"template", 1}}, "9000");
  Diagnostics diags;
  DiffOf(f.kind, desired, observed, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_NE(diags[0].message.find("Proxmox cannot turn a template back into a VM"), std::string::npos) << diags[0].message;
}

TEST(VmReview, ANewMediumIsHotButANewDriveWaitsForARestart) {
  VmKindFixture f;
  Resource desired = LoadVm(R"(
vms:
  - { vmid: 300, node: pve-01, cdrom: { ide2: "local:iso/b.iso", ide0: none } }
)");
  Observed observed = ObservedFrom(Value{{"ide2", "local:iso/a.iso,media=cdrom"}}, "300", "running");
  Diagnostics diags;
  Change change = DiffOf(f.kind, desired, observed, diags);
  ASSERT_EQ(change.fields.size(), 2u) << Paths(change);
  for (const FieldChange& field : change.fields) {
    EXPECT_EQ(field.reboot, field.path == "cdrom[ide0]") << field.path;
  }
}

TEST(VmConfig, AFileStoragesDiskFormatIsItsVolumesExtension) {
  Value config = {{"scsi0", "astro-nfs:100/vm-100-disk-0.qcow2,size=64G"},
                  {"scsi1", "local-lvm:vm-100-disk-1,size=8G"}};
  auto body = vm::ConfigToBody(config);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ((*body)["disks"][0]["format"], "qcow2");
  EXPECT_FALSE((*body)["disks"][1].contains("format"));  // a block volume has no file format
}

TEST(VmConfig, ConfTextReadsLikeTheApiWithItsDigest) {
  const std::string text =
      "#web%20server\nboot: order=scsi0\ncores: 2\nscsi0: local-lvm:vm-100-disk-0,size=8G\n\n[PENDING]\ncores: 4\n";
  auto config = vm::ParseConfText(text);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ((*config)["cores"], 2);  // typed as the API answers it
  EXPECT_EQ((*config)["description"], "web server");
  EXPECT_EQ((*config)["digest"].get<std::string>().size(), 40u);
  auto body = vm::ConfigToBody(*config);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ((*body)["cores"], 2);
}

TEST(VmConfig, ABadConfigValueIsAnErrorNamingTheKey) {
  auto body = vm::ConfigToBody(Value{{"cores", "two"}});
  ASSERT_FALSE(body);
  EXPECT_NE(body.error().message.find("`cores`"), std::string::npos) << body.error().message;
}

TEST(VmReview, ALeftOutDiskIsDetachedAndKeptAndSaysSo) {
  VmKindFixture f;
  Value config = {{"scsi0", "local-lvm:vm-100-disk-0,size=8G"}, {"scsi1", "local-lvm:vm-100-disk-1,size=4G"}, {"cores", 2}};
  Resource desired = LoadVm(R"(
vms:
  - vmid: 100
    node: pve-01
    cores: 4
    disks: [ { slot: scsi0, storage: local-lvm, size: 8G } ]
)");
  Diagnostics diags;
  Change change = DiffOf(f.kind, desired, ObservedFrom(config, "100", "running"), diags);
  EXPECT_EQ(change.action, Action::kUpdate);
  EXPECT_FALSE(change.destructive);
  EXPECT_TRUE(change.reboot);
  EXPECT_NE(change.reason.find("disk scsi1 is detached and kept"), std::string::npos) << change.reason;
  EXPECT_NE(change.reason.find("pending until the guest restarts"), std::string::npos) << change.reason;
}

TEST(VmReview, HaPlacementAndRunStateAreLeftToHaUnlessPinned) {
  VmKindFixture f;
  Observed observed = ObservedFrom(Value{{"cores", 2}}, "100", "stopped");
  observed.body["node"] = "pve-02";
  observed.body["hastate"] = "started";
  Resource desired = LoadVm("vms:\n  - { vmid: 100, node: pve-01, state: running, cores: 2 }\n");
  Diagnostics diags;
  EXPECT_EQ(DiffOf(f.kind, desired, observed, diags).action, Action::kNoOp);
  Resource pinned = LoadVm("vms:\n  - { vmid: 100, node: pve-01, node_pinned: true, cores: 2 }\n");
  Change change = DiffOf(f.kind, pinned, observed, diags);
  EXPECT_EQ(change.action, Action::kUpdate);
  EXPECT_EQ(Paths(change), "node ");
  EXPECT_TRUE(diags.empty());
}

TEST(VmReview, AnIdTakenByAContainerIsRefused) {
  VmKindFixture f;
  Observed lxc;
  lxc.address = {"vm", "100"};
  lxc.body = {{"vmid", 100}, {"node", "pve-01"}, {"guest_type", "lxc"}};
  Resource desired = LoadVm("vms:\n  - { vmid: 100, node: pve-01, cores: 2 }\n");
  Diagnostics diags;
  DiffOf(f.kind, desired, lxc, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_NE(diags[0].message.find("taken by a lxc guest on pve-01"), std::string::npos) << diags[0].message;
}

TEST(VmNormalize, TagCaseOrderOwnerTagAndMemorySpellingsCompareEqual) {
  VmKindFixture f;
  Value a = {{"tags", {"Web", "hainfra", "db"}}, {"memory", "current=2048"}, {"state", "present"}, {"ha", {{"state", "started"}}}};
  f.kind.Normalize(a);
  EXPECT_EQ(a["tags"], Value({"db", "web"}));
  EXPECT_EQ(a["memory"], 2048);
  EXPECT_FALSE(a.contains("state"));
  EXPECT_FALSE(a.contains("ha"));
  Value again = a;
  f.kind.Normalize(again);
  EXPECT_EQ(again, a);  // idempotent
}

}  // namespace
}  // namespace hainfra::providers
