// pvesim: PUT /nodes/{node}/qemu/{vmid}/resize behaves as qemu-server's resize_vm (a task; absolute and `+`
// sizes; shrinking refused; equal size a no-op; digest checked).
#include <gtest/gtest.h>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

class PvesimResize : public ::testing::Test {
 protected:
  void SetUp() override {
    pvesim_ = PvesimProcess::Start({});
    if (pvesim_->skipped()) GTEST_SKIP() << pvesim_->error();
    ASSERT_TRUE(pvesim_->ok()) << pvesim_->error();
    c_ = std::make_unique<PvesimClient>(*pvesim_);
    ApiResult r = c_->Post("/nodes/pve-01/qemu", {{"vmid", "100"}, {"scsi0", "local-lvm:32"}, {"ide2", "none,media=cdrom"}});
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  }
  // The task's exit status of a resize.
  std::string Resize(const Form& form) {
    ApiResult r = c_->Put("/nodes/pve-01/qemu/100/resize", form);
    if (r.status != 200) return "HTTP " + std::to_string(r.status) + " " + r.message();
    return c_->WaitTask(r.data());
  }
  std::string Scsi0() { return c_->Get("/nodes/pve-01/qemu/100/config").data().value("scsi0", ""); }

  std::unique_ptr<PvesimProcess> pvesim_;
  std::unique_ptr<PvesimClient> c_;
};

TEST_F(PvesimResize, GrowsToAnAbsoluteOrRelativeSizeInATask) {
  EXPECT_EQ(Resize({{"disk", "scsi0"}, {"size", "40G"}}), "OK");
  EXPECT_EQ(Scsi0(), "local-lvm:vm-100-disk-0,size=40G");
  EXPECT_EQ(Resize({{"disk", "scsi0"}, {"size", "+512M"}}), "OK");
  EXPECT_EQ(Scsi0(), "local-lvm:vm-100-disk-0,size=41472M");
}

TEST_F(PvesimResize, RefusesShrinkingCdromsUnknownDisksAndAStaleDigest) {
  EXPECT_NE(Resize({{"disk", "scsi0"}, {"size", "16G"}}).find("shrinking disks is not supported"), std::string::npos);
  EXPECT_NE(Resize({{"disk", "ide2"}, {"size", "1G"}}).find("you can't resize a cdrom"), std::string::npos);
  EXPECT_NE(Resize({{"disk", "scsi1"}, {"size", "1G"}}).find("disk 'scsi1' does not exist"), std::string::npos);
  EXPECT_NE(Resize({{"disk", "scsi0"}, {"size", "64G"}, {"digest", std::string(40, '0')}}).find("detected modified"),
            std::string::npos);
  EXPECT_EQ(Resize({{"disk", "scsi0"}, {"size", "32G"}}), "OK");  // the same size: nothing to do
  EXPECT_EQ(Scsi0(), "local-lvm:vm-100-disk-0,size=32G");
}

}  // namespace
}  // namespace hainfra::testing
