// pvesim's container API as pve-container serves it: containers created from a template, listed as real PVE
// lists them, configs with digests and pending changes, the run state, restart-mode migration, resizes,
// volume moves, templates, HA resources ct:<vmid>, and the missing-config error for a container that is
// not there. Every request is validated against the official API schema.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

constexpr const char* kTemplateFile = "debian-12-standard_12.7-1_amd64.tar.zst";
constexpr const char* kTemplate = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A cluster with container 101 (stopped) on pve-01, created from a Debian template.
class PvesimLxc : public ::testing::Test {
 protected:
  void SetUp() override {
    pvesim_ = PvesimProcess::Start(options_);
    if (pvesim_->skipped()) GTEST_SKIP() << pvesim_->error();
    ASSERT_TRUE(pvesim_->ok()) << pvesim_->error();
    c_ = std::make_unique<PvesimClient>(*pvesim_);
    ApiResult download = c_->Post("/nodes/pve-01/aplinfo", {{"storage", "local"}, {"template", kTemplateFile}});
    ASSERT_EQ(download.status, 200) << download.raw;
    ASSERT_EQ(c_->WaitTask(download.data()), "OK");
    ApiResult r = c_->Post("/nodes/pve-01/lxc", {{"vmid", "101"}, {"ostemplate", kTemplate}, {"hostname", "web"},
                                                 {"memory", "1024"}, {"swap", "512"}, {"cores", "2"},
                                                 {"rootfs", "local-lvm:8"}, {"unprivileged", "1"},
                                                 {"net0", "name=eth0,bridge=vmbr0,ip=dhcp"}, {"password", "s3cret!"}});
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  }
  std::string ConfPath(const std::string& node, int vmid) {
    return pvesim_->state_dir() + "/etc-pve/nodes/" + node + "/lxc/" + std::to_string(vmid) + ".conf";
  }
  nlohmann::json Config(const std::string& node = "pve-01") { return c_->Get("/nodes/" + node + "/lxc/101/config").data(); }
  void Start() {
    ApiResult r = c_->Post("/nodes/pve-01/lxc/101/status/start");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(c_->WaitTask(r.data()), "OK");
  }
  PvesimOptions options_;
  std::unique_ptr<PvesimProcess> pvesim_;
  std::unique_ptr<PvesimClient> c_;
};

TEST_F(PvesimLxc, EveryNodeListsItsContainersWithTheFieldsProxmoxReturns) {
  auto list = c_->Get("/nodes/pve-01/lxc");
  ASSERT_EQ(list.status, 200) << list.raw;
  const nlohmann::json cts = list.data();
  ASSERT_EQ(cts.size(), 1u) << list.raw;
  const nlohmann::json& ct = cts[0];
  EXPECT_EQ(ct["vmid"], "101");  // pve-container lists vmids as strings
  EXPECT_EQ(ct["type"], "lxc");
  EXPECT_EQ(ct["name"], "web");
  EXPECT_EQ(ct["status"], "stopped");
  EXPECT_EQ(ct["maxmem"], 1024LL << 20);
  EXPECT_EQ(ct["maxswap"], 512LL << 20);
  EXPECT_EQ(ct["maxdisk"], 8LL << 30);
  EXPECT_EQ(ct["cpus"], 2);
  for (const char* node : {"pve-02", "pve-03"}) EXPECT_EQ(c_->Get(std::string("/nodes/") + node + "/lxc").data(), nlohmann::json::array());
  auto resources = c_->Get("/cluster/resources", {{"type", "vm"}}).data();
  bool found = false;
  for (const auto& e : resources) {
    if (e["id"] != "lxc/101") continue;
    found = true;
    EXPECT_EQ(e["type"], "lxc");
    EXPECT_EQ(e["vmid"], 101);
    EXPECT_EQ(e["node"], "pve-01");
    EXPECT_EQ(e["name"], "web");
  }
  EXPECT_TRUE(found) << resources.dump();
}

TEST_F(PvesimLxc, AContainerIsCreatedFromATemplateWithItsRootfsAllocatedAndItsDigestTheFilesSha1) {
  std::string text = ReadText(ConfPath("pve-01", 101));
  EXPECT_NE(text.find("rootfs: local-lvm:vm-101-disk-0,size=8G\n"), std::string::npos) << text;
  EXPECT_NE(text.find("arch: amd64\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ostype: debian\n"), std::string::npos) << text;
  EXPECT_NE(text.find("net0: name=eth0,bridge=vmbr0,hwaddr="), std::string::npos) << text;
  EXPECT_NE(text.find(",ip=dhcp,type=veth\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("s3cret"), std::string::npos) << "the password is never written to the config";
  auto conf = Config();
  EXPECT_EQ(conf["memory"], 1024);
  EXPECT_EQ(conf["unprivileged"], 1);
  FILE* p = popen(("sha1sum '" + ConfPath("pve-01", 101) + "'").c_str(), "r");
  char buf[128] = {};
  ASSERT_NE(fgets(buf, sizeof buf, p), nullptr);
  pclose(p);
  EXPECT_EQ(std::string(buf).substr(0, 40), conf["digest"].get<std::string>());
}

TEST_F(PvesimLxc, ATemplateOnAStorageWithoutTemplatesAndATakenVmidAreRefused) {
  ApiResult wrong = c_->Post("/nodes/pve-01/lxc", {{"vmid", "102"}, {"ostemplate", "local-lvm:vztmpl/x.tar.zst"}});
  EXPECT_EQ(wrong.status, 500) << wrong.raw;
  EXPECT_EQ(wrong.message(), "storage 'local-lvm' does not support container templates\n");
  ApiResult vm = c_->Post("/nodes/pve-02/qemu", {{"vmid", "200"}, {"memory", "512"}});
  ASSERT_EQ(c_->WaitTask(vm.data()), "OK");
  ApiResult taken = c_->Post("/nodes/pve-01/lxc", {{"vmid", "200"}, {"ostemplate", kTemplate}, {"rootfs", "local-lvm:4"}});
  EXPECT_EQ(taken.status, 500);
  EXPECT_EQ(taken.message(), "VM 200 already exists on node 'pve-02'\n");
  ApiResult vm_over_ct = c_->Post("/nodes/pve-02/qemu", {{"vmid", "101"}, {"memory", "512"}});
  EXPECT_EQ(vm_over_ct.status, 500);
  EXPECT_NE(vm_over_ct.message().find("CT 101 already exists on node 'pve-01'"), std::string::npos) << vm_over_ct.raw;
}

TEST_F(PvesimLxc, ATemplateThatIsNotOnTheNodesStorageIsRefused) {
  // `local` is a per-node storage: the template was downloaded on pve-01 only.
  ApiResult missing = c_->Post("/nodes/pve-02/lxc", {{"vmid", "102"}, {"ostemplate", kTemplate}, {"rootfs", "local-lvm:4"}});
  EXPECT_EQ(missing.status, 500) << missing.raw;
  EXPECT_EQ(missing.message(), std::string("can't find file '") + kTemplate + "'\n");
  EXPECT_EQ(c_->Get("/nodes/pve-02/lxc").data().size(), 0u);
}

TEST_F(PvesimLxc, ARunningContainerTakesMemoryAtOnceAndKeepsOstypeAndFeaturesPending) {
  Start();
  std::string digest = Config()["digest"];
  ApiResult put = c_->Put("/nodes/pve-01/lxc/101/config",
                          {{"memory", "2048"}, {"ostype", "ubuntu"}, {"features", "nesting=1"}, {"digest", digest}});
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_TRUE(put.data().is_null()) << "PUT is synchronous for containers";
  auto current = c_->Get("/nodes/pve-01/lxc/101/config", {{"current", "1"}}).data();
  EXPECT_EQ(current["memory"], 2048);
  EXPECT_EQ(current["ostype"], "debian");
  EXPECT_FALSE(current.contains("features"));
  std::map<std::string, nlohmann::json> pending;
  for (const auto& item : c_->Get("/nodes/pve-01/lxc/101/pending").data())
    if (item.contains("pending")) pending[item["key"]] = item["pending"];
  EXPECT_EQ(pending["ostype"], "ubuntu");
  EXPECT_EQ(pending["features"], "nesting=1");
  EXPECT_FALSE(pending.contains("memory"));
  ApiResult reboot = c_->Post("/nodes/pve-01/lxc/101/status/reboot");
  ASSERT_EQ(c_->WaitTask(reboot.data()), "OK");
  auto after = c_->Get("/nodes/pve-01/lxc/101/config", {{"current", "1"}}).data();
  EXPECT_EQ(after["ostype"], "ubuntu");
  EXPECT_EQ(after["features"], "nesting=1");
}

TEST_F(PvesimLxc, UnprivilegedIsReadOnlyAndAStaleDigestIsRefused) {
  ApiResult ro = c_->Put("/nodes/pve-01/lxc/101/config", {{"unprivileged", "0"}});
  EXPECT_EQ(ro.status, 500);
  EXPECT_EQ(ro.message(), "unable to modify read-only option: 'unprivileged'\n");
  std::string digest = Config()["digest"];
  ASSERT_EQ(c_->Put("/nodes/pve-01/lxc/101/config", {{"cores", "4"}}).status, 200);
  ApiResult stale = c_->Put("/nodes/pve-01/lxc/101/config", {{"cores", "8"}, {"digest", digest}});
  EXPECT_EQ(stale.status, 500);
  EXPECT_EQ(stale.message(), "detected modified configuration - file changed by other user? Try again.\n");
  ApiResult bind = c_->Put("/nodes/pve-01/lxc/101/config", {{"mp0", "/srv/data,mp=/data"}});
  EXPECT_EQ(bind.status, 403) << bind.raw;
}

TEST_F(PvesimLxc, VolumesGrowNeverShrinkAndARemovedMountPointIsKeptAsUnused) {
  ASSERT_EQ(c_->Put("/nodes/pve-01/lxc/101/config", {{"mp0", "local-lvm:2,mp=/data,backup=1"}}).status, 200);
  EXPECT_EQ(Config()["mp0"], "local-lvm:vm-101-disk-1,mp=/data,backup=1,size=2G");
  ApiResult grow = c_->Put("/nodes/pve-01/lxc/101/resize", {{"disk", "rootfs"}, {"size", "12G"}});
  ASSERT_EQ(grow.status, 200) << grow.raw;
  EXPECT_EQ(c_->WaitTask(grow.data()), "OK");
  EXPECT_EQ(Config()["rootfs"], "local-lvm:vm-101-disk-0,size=12G");
  ApiResult shrink = c_->Put("/nodes/pve-01/lxc/101/resize", {{"disk", "rootfs"}, {"size", "10G"}});
  EXPECT_EQ(c_->WaitTask(shrink.data()), "unable to shrink disk size");
  ASSERT_EQ(c_->Put("/nodes/pve-01/lxc/101/config", {{"delete", "mp0"}}).status, 200);
  auto conf = Config();
  EXPECT_FALSE(conf.contains("mp0"));
  EXPECT_EQ(conf["unused0"], "local-lvm:vm-101-disk-1");
  ApiResult required = c_->Put("/nodes/pve-01/lxc/101/config", {{"delete", "rootfs"}});
  EXPECT_EQ(required.message(), "unable to delete required option 'rootfs'\n");
}

TEST_F(PvesimLxc, ARunningContainerMigratesOnlyInRestartMode) {
  Start();
  ApiResult plain = c_->Post("/nodes/pve-01/lxc/101/migrate", {{"target", "pve-02"}});
  EXPECT_EQ(plain.status, 500) << plain.raw;
  ApiResult restart = c_->Post("/nodes/pve-01/lxc/101/migrate", {{"target", "pve-02"}, {"restart", "1"}});
  ASSERT_EQ(restart.status, 200) << restart.raw;
  std::string upid = restart.data();
  EXPECT_NE(upid.find(":vzmigrate:101:"), std::string::npos) << upid;
  EXPECT_EQ(c_->WaitTask(upid), "OK");
  EXPECT_EQ(c_->Get("/nodes/pve-02/lxc/101/status/current").data()["status"], "running");
  EXPECT_EQ(c_->Get("/nodes/pve-01/lxc/101/config").status, 500);
}

TEST_F(PvesimLxc, HaResourcesNameContainersAsCtAndStartRequestsGoThroughHa) {
  ApiResult add = c_->Post("/cluster/ha/resources", {{"sid", "ct:101"}, {"state", "stopped"}});
  ASSERT_EQ(add.status, 200) << add.raw;
  ApiResult wrong = c_->Post("/cluster/ha/resources", {{"sid", "vm:101"}});
  EXPECT_EQ(wrong.status, 500);
  auto status = c_->Get("/nodes/pve-01/lxc/101/status/current").data();
  EXPECT_EQ(status["ha"]["managed"], 1);
  ApiResult start = c_->Post("/nodes/pve-01/lxc/101/status/start");
  std::string upid = start.data();
  EXPECT_NE(upid.find(":hastart:101:"), std::string::npos) << upid;
  EXPECT_EQ(c_->WaitTask(upid), "OK");
  auto resource = c_->Get("/cluster/ha/resources/ct:101").data();
  EXPECT_EQ(resource["state"], "started");
  ApiResult keep = c_->Delete("/nodes/pve-01/lxc/101");
  EXPECT_EQ(keep.message(), "unable to remove CT 101 - used in HA resources and purge parameter not set.\n");
}

TEST_F(PvesimLxc, AStoppedContainerMovesAVolumeBecomesATemplateAndIsDestroyed) {
  ApiResult move = c_->Post("/nodes/pve-01/lxc/101/move_volume", {{"volume", "rootfs"}, {"storage", "local-lvm"}});
  EXPECT_EQ(c_->WaitTask(move.data()), "volume 'local-lvm:vm-101-disk-0' already on storage 'local-lvm'");
  ApiResult tmpl = c_->Post("/nodes/pve-01/lxc/101/template");
  ASSERT_EQ(tmpl.status, 200) << tmpl.raw;
  auto conf = Config();
  EXPECT_EQ(conf["template"], 1);
  EXPECT_EQ(conf["rootfs"], "local-lvm:base-101-disk-0,size=8G");
  ApiResult start = c_->Post("/nodes/pve-01/lxc/101/status/start");
  EXPECT_EQ(c_->WaitTask(start.data()), "cannot start a template");
  ApiResult destroy = c_->Delete("/nodes/pve-01/lxc/101", {{"purge", "1"}, {"destroy-unreferenced-disks", "1"}});
  ASSERT_EQ(destroy.status, 200) << destroy.raw;
  EXPECT_EQ(c_->WaitTask(destroy.data()), "OK");
  EXPECT_EQ(c_->Get("/nodes/pve-01/lxc").data(), nlohmann::json::array());
}

TEST(PvesimLxcEmpty, AContainerThatIsNotThereIsTheMissingConfigFileError) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim);
  for (const char* sub : {"", "/config", "/pending", "/status/current"}) {
    auto answer = c.Get(std::string("/nodes/pve-02/lxc/105") + sub);
    EXPECT_EQ(answer.status, 500) << sub << ": " << answer.raw;
    EXPECT_NE(answer.raw.find("Configuration file 'nodes/pve-02/lxc/105.conf' does not exist"), std::string::npos)
        << sub << ": " << answer.raw;
  }
}

}  // namespace
}  // namespace hainfra::testing
