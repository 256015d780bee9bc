// pvesim as a process: templates, full and linked clones, import-from and CD-ROM drives behave as
// qemu-server makes them behave.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

// VM 9000 (scsi0 on local-lvm, net0, a cloud-init drive) on pve-01.
class PvesimQemuClone : public ::testing::Test {
 protected:
  void SetUp() override {
    pvesim_ = PvesimProcess::Start(options_);
    if (pvesim_->skipped()) GTEST_SKIP() << pvesim_->error();
    ASSERT_TRUE(pvesim_->ok()) << pvesim_->error();
    c_ = std::make_unique<PvesimClient>(*pvesim_);
    ApiResult r = c_->Post("/nodes/pve-01/qemu", {{"vmid", "9000"}, {"name", "debian-tmpl"}, {"scsi0", "local-lvm:16"},
                                                  {"ide2", "local-lvm:cloudinit"}, {"net0", "virtio,bridge=vmbr0"}});
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  }
  nlohmann::json Config(int vmid, const std::string& node = "pve-01") {
    return c_->Get("/nodes/" + node + "/qemu/" + std::to_string(vmid) + "/config").data();
  }
  std::string Template() { return c_->WaitTask(c_->Post("/nodes/pve-01/qemu/9000/template").data()); }
  PvesimOptions options_;
  std::unique_ptr<PvesimProcess> pvesim_;
  std::unique_ptr<PvesimClient> c_;
};

TEST_F(PvesimQemuClone, ConvertingToATemplateRenamesTheDisksAndTheTemplateCannotStart) {
  ASSERT_EQ(Template(), "OK");
  nlohmann::json conf = Config(9000);
  EXPECT_EQ(conf["template"], 1);
  EXPECT_EQ(conf["scsi0"], "local-lvm:base-9000-disk-0,size=16G");
  EXPECT_EQ(c_->WaitTask(c_->Post("/nodes/pve-01/qemu/9000/status/start").data()), "you can't start a vm if it's a template");
  EXPECT_EQ(c_->Post("/nodes/pve-01/qemu/9000/template").message(), "you can't convert a template to a template\n");
}

TEST_F(PvesimQemuClone, ALinkedCloneOfATemplateSharesItsBaseVolume) {
  ASSERT_EQ(Template(), "OK");
  ApiResult r = c_->Post("/nodes/pve-01/qemu/9000/clone", {{"newid", "101"}, {"name", "web-1"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_NE(r.data().get<std::string>().find(":qmclone:9000:"), std::string::npos);
  ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  nlohmann::json conf = Config(101);
  EXPECT_EQ(conf["name"], "web-1");
  EXPECT_EQ(conf["scsi0"], "local-lvm:vm-101-disk-0,size=16G");
  EXPECT_EQ(conf["ide2"], "local-lvm:vm-101-cloudinit,media=cdrom");
  EXPECT_FALSE(conf.contains("template"));
  EXPECT_FALSE(conf.contains("lock"));
  EXPECT_NE(conf["net0"], Config(9000)["net0"]);  // a new MAC
  EXPECT_NE(conf["smbios1"], Config(9000)["smbios1"]);
  nlohmann::json images = c_->Get("/nodes/pve-01/storage/local-lvm/content", {{"vmid", "101"}}).data();
  ASSERT_EQ(images.size(), 2u) << images.dump();  // the disk and the cloud-init volume
  EXPECT_EQ(images[0]["content"], "images");
  EXPECT_GT(images[0]["ctime"].get<int64_t>(), 0);
}

TEST_F(PvesimQemuClone, LinkedClonesNeedATemplateAndTakeNoStorage) {
  ApiResult linked = c_->Post("/nodes/pve-01/qemu/9000/clone", {{"newid", "101"}, {"full", "0"}});
  EXPECT_EQ(linked.message(), "Linked clone feature is not supported for drive 'scsi0'\n");
  ASSERT_EQ(Template(), "OK");
  ApiResult storage = c_->Post("/nodes/pve-01/qemu/9000/clone", {{"newid", "101"}, {"storage", "local-lvm"}});
  EXPECT_EQ(storage.message(), "parameter 'storage' not allowed for linked clones\n");
}

// The same, with clones that copy for two seconds: long enough to see the locks on a loaded machine.
class PvesimQemuSlowClone : public PvesimQemuClone {
 protected:
  PvesimQemuSlowClone() { options_.args = {"--task-duration", "qmclone=2000"}; }
};

TEST_F(PvesimQemuSlowClone, AFullCloneOfAVmLocksTheSourceWhileItCopies) {
  ApiResult r = c_->Post("/nodes/pve-01/qemu/9000/clone", {{"newid", "102"}, {"full", "1"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(Config(9000)["lock"], "clone");
  EXPECT_EQ(Config(102)["lock"], "clone");
  ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  EXPECT_FALSE(Config(9000).contains("lock"));
  nlohmann::json conf = Config(102);
  EXPECT_EQ(conf["scsi0"], "local-lvm:vm-102-disk-0,size=16G");
  EXPECT_EQ(conf["name"], "Copy-of-VM-debian-tmpl");
}

TEST_F(PvesimQemuClone, CloningToAnotherNodeFromLocalStorageIsRefused) {
  ApiResult r = c_->Post("/nodes/pve-01/qemu/9000/clone", {{"newid", "103"}, {"full", "1"}, {"target", "pve-02"}});
  EXPECT_EQ(r.message(), "can't clone VM to node 'pve-02' (VM uses local storage)\n");
  ApiResult taken = c_->Post("/nodes/pve-01/qemu/9000/clone", {{"newid", "9000"}, {"full", "1"}});
  EXPECT_EQ(taken.message(), "unable to create VM 9000: config file already exists\n");
}

TEST_F(PvesimQemuClone, ImportFromGivesTheDiskTheImagesSize) {
  const std::string url = "https://cloud.example.org/noble.qcow2";
  ApiResult dl = c_->Post("/nodes/pve-01/storage/local/download-url",
                          {{"content", "import"}, {"filename", "noble.qcow2"}, {"url", url}});
  ASSERT_EQ(c_->WaitTask(dl.data()), "OK");
  ApiResult r = c_->Post("/nodes/pve-01/qemu", {{"vmid", "200"}, {"scsi0", "local-lvm:0,import-from=local:import/noble.qcow2"},
                                                {"ide2", "none,media=cdrom"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  nlohmann::json conf = Config(200);
  EXPECT_EQ(conf["scsi0"], "local-lvm:vm-200-disk-0,size=2G");
  EXPECT_EQ(conf["ide2"], "none,media=cdrom");
  ApiResult missing = c_->Post("/nodes/pve-01/qemu", {{"vmid", "201"}, {"scsi0", "local-lvm:0,import-from=local:import/gone.qcow2"}});
  EXPECT_EQ(c_->WaitTask(missing.data()), "unable to create VM 201 - volume 'local:import/gone.qcow2' does not exist");
}

TEST_F(PvesimQemuClone, AnIsoChangeOnARunningGuestIsHotplugged) {
  for (const char* name : {"a.iso", "b.iso"}) {
    ApiResult dl = c_->Post("/nodes/pve-01/storage/local/download-url",
                            {{"content", "iso"}, {"filename", name}, {"url", std::string("https://example.org/") + name}});
    ASSERT_EQ(c_->WaitTask(dl.data()), "OK");
  }
  ApiResult r = c_->Post("/nodes/pve-01/qemu", {{"vmid", "300"}, {"scsi0", "local-lvm:8"}, {"ide0", "local:iso/a.iso,media=cdrom"}});
  ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  ASSERT_EQ(c_->WaitTask(c_->Post("/nodes/pve-01/qemu/300/status/start").data()), "OK");
  ASSERT_EQ(c_->Put("/nodes/pve-01/qemu/300/config", {{"ide0", "local:iso/b.iso,media=cdrom"}}).status, 200);
  nlohmann::json conf = Config(300);
  EXPECT_EQ(conf["ide0"], "local:iso/b.iso,media=cdrom");
  EXPECT_TRUE(c_->Get("/nodes/pve-01/qemu/300/pending").data().is_array());
  for (const auto& p : c_->Get("/nodes/pve-01/qemu/300/pending").data()) EXPECT_FALSE(p.contains("pending")) << p.dump();
}

}  // namespace
}  // namespace hainfra::testing
