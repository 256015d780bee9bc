// The VM kind's request parameters: a create carries the whole config; an update only the keys that differ,
// existing disks and NICs rewritten over their current value (volume and MAC kept), removed slots deleted.
#include <gtest/gtest.h>

#include "providers/kinds/vm_config.h"
#include "providers/kinds/vm_format.h"
#include "providers/kinds/vm_params.h"

namespace hainfra::providers::vm {
namespace {

FieldChange Field(const std::string& path, Value before, Value after) {
  FieldChange f;
  f.path = path;
  f.before = std::move(before);
  f.after = std::move(after);
  return f;
}

TEST(VmParams, ACreateCarriesTheWholeConfigWithTheOwnerTag) {
  Value desired = {{"vmid", 100},
                   {"name", "web"},
                   {"cores", 2},
                   {"numa", true},
                   {"tags", {"web"}},
                   {"boot", {"scsi0", "net0"}},
                   {"disks", {{{"slot", "scsi0"}, {"storage", "local-lvm"}, {"size", "512M"}, {"discard", true}}}},
                   {"nets", {{{"slot", "net0"}, {"bridge", "vmbr0"}, {"tag", 20}}}},
                   {"cloud_init", {{"user", "ops"}, {"storage", "local-lvm"}}}};
  auto params = CreateParams(desired, "s3cret");
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_EQ((*params)["vmid"], 100);
  EXPECT_EQ((*params)["numa"], 1);
  EXPECT_EQ((*params)["tags"], "hainfra;web");
  EXPECT_EQ((*params)["boot"], "order=scsi0;net0");
  EXPECT_EQ((*params)["scsi0"], "local-lvm:0.5,discard=on");
  EXPECT_EQ((*params)["net0"], "virtio,bridge=vmbr0,tag=20");
  EXPECT_EQ((*params)["ciuser"], "ops");
  EXPECT_EQ((*params)["cipassword"], "s3cret");
  EXPECT_EQ((*params)["ide2"], "local-lvm:cloudinit");
}

TEST(VmParams, ACreateImportsCdromsTpmVgaAndPassthroughAsProxmoxSpellsThem) {
  Value desired = {{"vmid", 300},
                   {"serial0", "socket"},
                   {"vga", {{"type", "serial0"}}},
                   {"tpm_state", {{"storage", "local-lvm"}, {"version", "v2.0"}}},
                   {"cdrom", {{"ide2", "local:iso/debian.iso"}}},
                   {"hostpci", {{{"slot", "hostpci0"}, {"mapping", "gpu"}, {"pcie", true}}}},
                   {"usb", {{{"slot", "usb0"}, {"mapping", "dongle"}}}},
                   {"template", true},
                   {"clone", {{"from", "9000"}}},
                   {"disks", {{{"slot", "scsi0"}, {"storage", "local-lvm"}, {"size", "10G"},
                               {"import_from", "local:import/noble.qcow2"}}}},
                   {"cloud_init", {{"storage", "local-lvm"}}}};
  auto params = CreateParams(desired, "");
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_EQ((*params)["scsi0"], "local-lvm:0,import-from=local:import/noble.qcow2");
  EXPECT_EQ((*params)["ide2"], "local:iso/debian.iso,media=cdrom");
  EXPECT_EQ((*params)["ide0"], "local-lvm:cloudinit") << "the cloud-init drive takes the next free slot";
  EXPECT_EQ((*params)["serial0"], "socket");
  EXPECT_EQ((*params)["vga"], "type=serial0");
  EXPECT_EQ((*params)["tpmstate0"], "local-lvm:1,version=v2.0");
  EXPECT_EQ((*params)["hostpci0"], "mapping=gpu,pcie=1");
  EXPECT_EQ((*params)["usb0"], "mapping=dongle");
  EXPECT_FALSE(params->contains("template")) << "converted after the create";
  EXPECT_FALSE(params->contains("clone"));
}

TEST(VmParams, AnIsoChangeRewritesTheDriveAndARemovedDriveIsDeleted) {
  Value config = {{"ide2", "local:iso/a.iso,media=cdrom"}, {"ide0", "none,media=cdrom"}};
  Value desired = {{"cdrom", {{"ide2", "local:iso/b.iso"}}}};
  auto work = UpdateWork(desired,
                         {Field("cdrom[ide2]", "local:iso/a.iso", "local:iso/b.iso"), Field("cdrom[ide0]", "none", nullptr)},
                         config, "");
  ASSERT_TRUE(work) << work.error().message;
  EXPECT_EQ(work->params["ide2"], "local:iso/b.iso,media=cdrom");
  EXPECT_EQ(work->deletes, std::vector<std::string>{"ide0"});
}

TEST(VmParams, AnUpdateSendsOnlyWhatDiffersAndKeepsVolumesAndMacs) {
  Value config = {{"cores", 2},
                  {"scsi0", "local-lvm:vm-100-disk-0,size=8G,aio=native"},
                  {"scsi1", "local-lvm:vm-100-disk-1,size=4G"},
                  {"net0", "virtio=BC:24:11:00:00:01,bridge=vmbr0"},
                  {"net1", "virtio=BC:24:11:00:00:02,bridge=vmbr0"}};
  Value desired = {{"cores", 4},
                   {"disks", {{{"slot", "scsi0"}, {"storage", "local-lvm"}, {"size", "16G"}, {"ssd", true}}}},
                   {"nets", {{{"slot", "net0"}, {"bridge", "vmbr1"}}}}};
  std::vector<FieldChange> fields = {Field("cores", 2, 4), Field("disks[scsi0].size", "8G", "16G"),
                                     Field("disks[scsi0].ssd", false, true), Field("disks[scsi1]", Value::object(), Value()),
                                     Field("nets[net0].bridge", "vmbr0", "vmbr1"), Field("nets[net1]", Value::object(), Value())};
  auto work = UpdateWork(desired, fields, config, "");
  ASSERT_TRUE(work) << work.error().message;
  EXPECT_EQ(work->params["cores"], 4);
  EXPECT_EQ(work->params["scsi0"], "local-lvm:vm-100-disk-0,size=8G,aio=native,ssd=1");  // grows by resize
  EXPECT_EQ(work->params["net0"], "virtio=BC:24:11:00:00:01,bridge=vmbr1");
  EXPECT_EQ(work->deletes, (std::vector<std::string>{"scsi1", "net1"}));  // scsi1 detached, not destroyed
  ASSERT_EQ(work->resizes.size(), 1u);
  EXPECT_EQ(work->resizes[0].slot, "scsi0");
  EXPECT_EQ(work->resizes[0].size, "16G");
  EXPECT_FALSE(work->params.contains("scsi1"));
}

TEST(VmParams, AGrowOnlyChangeIsAResizeWithoutAConfigWrite) {
  Value config = {{"scsi0", "local-lvm:vm-100-disk-0,size=8G"}};
  Value desired = {{"disks", {{{"slot", "scsi0"}, {"storage", "local-lvm"}, {"size", "8704M"}}}}};
  auto work = UpdateWork(desired, {Field("disks[scsi0].size", "8G", "8704M")}, config, "");
  ASSERT_TRUE(work) << work.error().message;
  EXPECT_TRUE(work->Empty());
  ASSERT_EQ(work->resizes.size(), 1u);
  EXPECT_EQ(work->resizes[0].size, "8704M");
}

TEST(VmParams, ANicWithAMacInTheSpecUsesIt) {
  auto text = FormatNet(Value{{"slot", "net0"}, {"bridge", "vmbr0"}, {"macaddr", "BC:24:11:AA:BB:CC"}, {"model", "e1000"}},
                        "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1");
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "e1000=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1");
}

TEST(VmParams, FieldPathsSplitIntoTopAndEntry) {
  EXPECT_EQ(TopKey("disks[scsi0].size"), "disks");
  EXPECT_EQ(EntryKey("disks[scsi0].size"), "scsi0");
  EXPECT_EQ(TopKey("cloud_init.ip[ipconfig0].ip"), "cloud_init");
  EXPECT_EQ(EntryKey("cloud_init.ip[ipconfig0].ip"), "");
  EXPECT_EQ(EntryKey("cores"), "");
}

}  // namespace
}  // namespace hainfra::providers::vm
