// pvesim as a process: qemu guests behave as qemu-server makes them behave.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A cluster with VM 100 (stopped) on pve-01.
class PvesimQemu : public ::testing::Test {
 protected:
  void SetUp() override {
    pvesim_ = PvesimProcess::Start(options_);
    if (pvesim_->skipped()) GTEST_SKIP() << pvesim_->error();
    ASSERT_TRUE(pvesim_->ok()) << pvesim_->error();
    c_ = std::make_unique<PvesimClient>(*pvesim_);
    ApiResult r = c_->Post("/nodes/pve-01/qemu", {{"vmid", "100"}, {"name", "web"}, {"memory", "2048"}, {"cores", "2"},
                                                  {"scsi0", "local-lvm:32"}, {"net0", "virtio,bridge=vmbr0,tag=20"}});
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  }
  std::string ConfPath(const std::string& node, int vmid) {
    return pvesim_->state_dir() + "/etc-pve/nodes/" + node + "/qemu-server/" + std::to_string(vmid) + ".conf";
  }
  PvesimOptions options_;
  std::unique_ptr<PvesimProcess> pvesim_;
  std::unique_ptr<PvesimClient> c_;
};

// The same, with starts that take two seconds: long enough to see the task running on a loaded machine.
class PvesimQemuSlowStart : public PvesimQemu {
 protected:
  PvesimQemuSlowStart() { options_.args = {"--task-duration", "qmstart=2000"}; }
};

TEST_F(PvesimQemuSlowStart, UpidsHaveProxmoxsFormat) {
  ApiResult r = c_->Post("/nodes/pve-01/qemu/100/status/start");
  std::string upid = r.data();
  std::regex re("^UPID:pve-01:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmstart:100:root@pam!hainfra:$");
  EXPECT_TRUE(std::regex_match(upid, re)) << upid;
  ApiResult running = c_->Get("/nodes/pve-01/tasks/" + upid + "/status");
  EXPECT_EQ(running.data()["status"], "running");
  EXPECT_EQ(running.data()["user"], "root@pam");
  EXPECT_EQ(running.data()["tokenid"], "hainfra");
  EXPECT_FALSE(running.data().contains("exitstatus"));
  EXPECT_EQ(c_->WaitTask(upid), "OK");
  ApiResult log = c_->Get("/nodes/pve-01/tasks/" + upid + "/log");
  ASSERT_FALSE(log.data().empty());
  EXPECT_EQ(log.data().back()["t"], "TASK OK");
}

TEST_F(PvesimQemu, ConfigIsProxmoxsFileAndDigestIsItsSha1) {
  std::string text = Read(ConfPath("pve-01", 100));
  EXPECT_NE(text.find("net0: virtio=BC:24:11:"), std::string::npos) << text;
  EXPECT_NE(text.find(",bridge=vmbr0,tag=20\n"), std::string::npos) << text;
  EXPECT_NE(text.find("scsi0: local-lvm:vm-100-disk-0,size=32G\n"), std::string::npos) << text;
  ApiResult conf = c_->Get("/nodes/pve-01/qemu/100/config");
  // sha1 of the file's bytes, as qemu-server computes it
  std::string sha1 = conf.data()["digest"];
  EXPECT_EQ(sha1.size(), 40u);
  FILE* p = popen(("sha1sum '" + ConfPath("pve-01", 100) + "'").c_str(), "r");
  char buf[128] = {};
  ASSERT_NE(fgets(buf, sizeof buf, p), nullptr);
  pclose(p);
  EXPECT_EQ(std::string(buf).substr(0, 40), sha1);
}

TEST_F(PvesimQemu, StaleDigestIsRefusedWithProxmoxsMessage) {
  std::string digest = c_->Get("/nodes/pve-01/qemu/100/config").data()["digest"];
  ASSERT_EQ(c_->Put("/nodes/pve-01/qemu/100/config", {{"cores", "4"}}).status, 200);
  ApiResult stale = c_->Put("/nodes/pve-01/qemu/100/config", {{"cores", "8"}, {"digest", digest}});
  EXPECT_EQ(stale.status, 500);
  EXPECT_EQ(stale.message(), "checksum mismatch (file change by other user?)\n");
  EXPECT_EQ(stale.reason, "checksum mismatch (file change by other user?)");
}

TEST_F(PvesimQemu, NetWithoutMacGetsANewRandomMacOnEveryUpdate) {
  std::string before = c_->Get("/nodes/pve-01/qemu/100/config").data()["net0"];
  ASSERT_EQ(c_->Put("/nodes/pve-01/qemu/100/config", {{"net0", "virtio,bridge=vmbr0,tag=20"}}).status, 200);
  std::string after = c_->Get("/nodes/pve-01/qemu/100/config").data()["net0"];
  EXPECT_NE(before, after);
  EXPECT_TRUE(std::regex_match(after, std::regex("^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0,tag=20$"))) << after;
}

TEST_F(PvesimQemu, RunningGuestKeepsColdplugChangesPending) {
  ASSERT_EQ(c_->WaitTask(c_->Post("/nodes/pve-01/qemu/100/status/start").data()), "OK");
  ASSERT_EQ(c_->Put("/nodes/pve-01/qemu/100/config", {{"cores", "4"}, {"name", "web2"}}).status, 200);
  ApiResult current = c_->Get("/nodes/pve-01/qemu/100/config", {{"current", "1"}});
  EXPECT_EQ(current.data()["cores"], 2);      // not hotpluggable: pending
  EXPECT_EQ(current.data()["name"], "web2");  // fast-plug option: applied at once
  EXPECT_EQ(c_->Get("/nodes/pve-01/qemu/100/config").data()["cores"], 4);  // GET applies pending by default
  bool pending_cores = false;
  for (const auto& item : c_->Get("/nodes/pve-01/qemu/100/pending").data())
    if (item["key"] == "cores") pending_cores = item.value("pending", 0) == 4 && item.value("value", 0) == 2;
  EXPECT_TRUE(pending_cores);
  EXPECT_NE(Read(ConfPath("pve-01", 100)).find("\n[PENDING]\ncores: 4\n"), std::string::npos);
  // A stop and start applies it.
  ASSERT_EQ(c_->WaitTask(c_->Post("/nodes/pve-01/qemu/100/status/stop").data()), "OK");
  ASSERT_EQ(c_->WaitTask(c_->Post("/nodes/pve-01/qemu/100/status/start").data()), "OK");
  EXPECT_EQ(c_->Get("/nodes/pve-01/qemu/100/config", {{"current", "1"}}).data()["cores"], 4);
}

TEST_F(PvesimQemu, DeletedDiskBecomesUnused) {
  ASSERT_EQ(c_->Put("/nodes/pve-01/qemu/100/config", {{"scsi1", "local-lvm:8"}}).status, 200);
  EXPECT_EQ(c_->Get("/nodes/pve-01/qemu/100/config").data()["scsi1"], "local-lvm:vm-100-disk-1,size=8G");
  ASSERT_EQ(c_->Put("/nodes/pve-01/qemu/100/config", {{"delete", "scsi1"}}).status, 200);
  auto conf = c_->Get("/nodes/pve-01/qemu/100/config").data();
  EXPECT_FALSE(conf.contains("scsi1"));
  EXPECT_EQ(conf["unused0"], "local-lvm:vm-100-disk-1");
}

TEST_F(PvesimQemu, CreatingAnExistingVmidFails) {
  ApiResult r = c_->Post("/nodes/pve-02/qemu", {{"vmid", "100"}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.message(), "unable to create VM 100 - VM 100 already exists on node 'pve-01'\n");
}

TEST_F(PvesimQemu, MissingGuestIsAConfigurationFileError) {
  ApiResult r = c_->Get("/nodes/pve-02/qemu/100/config");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.message(), "Configuration file 'nodes/pve-02/qemu-server/100.conf' does not exist\n");
}

TEST_F(PvesimQemu, OfflineMigrationMovesTheConfig) {
  ApiResult r = c_->Post("/nodes/pve-01/qemu/100/migrate", {{"target", "pve-02"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(c_->WaitTask(r.data()), "OK");
  EXPECT_EQ(c_->Get("/nodes/pve-02/qemu/100/config").status, 200);
  EXPECT_EQ(c_->Get("/nodes/pve-01/qemu/100/config").status, 500);
}

TEST_F(PvesimQemu, RunningGuestNeedsOnlineAndLocalDisksForLiveMigration) {
  ASSERT_EQ(c_->WaitTask(c_->Post("/nodes/pve-01/qemu/100/status/start").data()), "OK");
  ApiResult offline = c_->Post("/nodes/pve-01/qemu/100/migrate", {{"target", "pve-02"}});
  EXPECT_EQ(offline.message(), "can't migrate running VM without --online\n");
  std::string upid = c_->Post("/nodes/pve-01/qemu/100/migrate", {{"target", "pve-02"}, {"online", "1"}}).data();
  EXPECT_EQ(c_->WaitTask(upid), "migration aborted");
  upid = c_->Post("/nodes/pve-01/qemu/100/migrate", {{"target", "pve-02"}, {"online", "1"}, {"with-local-disks", "1"}}).data();
  EXPECT_EQ(c_->WaitTask(upid), "OK");
  EXPECT_EQ(c_->Get("/nodes/pve-02/qemu/100/status/current").data()["status"], "running");
}

TEST_F(PvesimQemu, DestroyingARunningGuestFails) {
  ASSERT_EQ(c_->WaitTask(c_->Post("/nodes/pve-01/qemu/100/status/start").data()), "OK");
  EXPECT_EQ(c_->Delete("/nodes/pve-01/qemu/100").message(), "VM 100 is running - destroy failed\n");
  ASSERT_EQ(c_->WaitTask(c_->Post("/nodes/pve-01/qemu/100/status/stop").data()), "OK");
  EXPECT_EQ(c_->WaitTask(c_->Delete("/nodes/pve-01/qemu/100").data()), "OK");
  EXPECT_TRUE(c_->Get("/nodes/pve-01/qemu").data().empty());
}

TEST_F(PvesimQemu, ConfigChangeWaitsForTheGuestLockThenTimesOut) {
  // A long task holds the lock (the control API holds it for 3 s); the lock timeout is 1 s in tests.
  ASSERT_EQ(c_->Control("POST", "/locks/100", {{"ms", 3000}}).status, 200);
  auto start = std::chrono::steady_clock::now();
  ApiResult r = c_->Put("/nodes/pve-01/qemu/100/config", {{"cores", "4"}});
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.message(), "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout\n");
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  // The async variant fails its task the same way.
  std::string upid = c_->Post("/nodes/pve-01/qemu/100/config", {{"cores", "4"}}).data();
  EXPECT_EQ(c_->WaitTask(upid), "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout");
}

TEST_F(PvesimQemu, LockedConfigIsRefused) {
  ASSERT_EQ(c_->Put("/nodes/pve-01/qemu/100/config", {{"lock", "backup"}}).status, 200);
  ApiResult r = c_->Put("/nodes/pve-01/qemu/100/config", {{"cores", "4"}});
  EXPECT_EQ(r.message(), "VM is locked (backup)\n");
  // skiplock is for root@pam only, and an API token is not root@pam.
  ApiResult skip = c_->Put("/nodes/pve-01/qemu/100/config", {{"cores", "4"}, {"skiplock", "1"}});
  EXPECT_EQ(skip.status, 400);
  EXPECT_EQ(skip.errors()["skiplock"], "Only root may use this option.");
}

}  // namespace
}  // namespace hainfra::testing
