// The container kind's translation: a real captured pve-container config read into the spec's shape, the
// parameters of a create, and the keys of an update (NIC slots by name, detached mount points, resizes).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "providers/kinds/ct_config.h"

namespace hainfra::providers {
namespace {

Value ReadCtFixture(const std::string& name, bool& found) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  found = static_cast<bool>(in);
  if (!found) return Value();
  std::stringstream text;
  text << in.rdbuf();
  Value v = Value::parse(text.str());
  return v.contains("data") ? v["data"] : v;
}

TEST(CtConfig, ACapturedConfigReadsIntoTheSpecsShape) {
  bool found = false;
  Value config = ReadCtFixture("api-nodes-node-lxc-vmid-config.json", found);
  if (!found) GTEST_SKIP() << "fixture not available";
  auto body = ct::ConfigToBody(config);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ((*body)["hostname"], "test-container");
  EXPECT_EQ((*body)["memory"], 4096);
  EXPECT_EQ((*body)["swap"], 512);
  EXPECT_EQ((*body)["onboot"], true);
  EXPECT_EQ((*body)["unprivileged"], false);  // pve-container's default when the key is absent
  EXPECT_EQ((*body)["features"]["nesting"], true);
  EXPECT_EQ((*body)["features"]["fuse"], true);
  EXPECT_EQ((*body)["features"]["keyctl"], false);
  EXPECT_EQ((*body)["tags"], Value({"tag1", "tag2"}));
  EXPECT_EQ((*body)["rootfs"]["storage"], "vmstore");
  EXPECT_EQ((*body)["rootfs"]["size"], "30G");
  ASSERT_EQ((*body)["mount_points"].size(), 1u);
  EXPECT_EQ((*body)["mount_points"][0]["bind"], "/mnt/foo/bar");
  EXPECT_EQ((*body)["mount_points"][0]["path"], "/storage");
  ASSERT_EQ((*body)["nets"].size(), 1u);
  EXPECT_EQ((*body)["nets"][0]["name"], "eth0");
  EXPECT_EQ((*body)["nets"][0]["hwaddr"], "5D:CF:BD:B2:C5:39");
  EXPECT_EQ((*body)["nets"][0]["firewall"], true);
  EXPECT_FALSE(body->contains("lxc")) << "raw lxc keys are not managed";
}

TEST(CtConfig, ACreateSendsTheTemplateVolumesNicsInOrderAndTheOwnerTag) {
  Value desired = Value::parse(R"({
    "vmid": 300, "hostname": "web", "node": "pve-01", "unprivileged": true,
    "ostemplate": "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
    "features": {"nesting": true, "mount": ["nfs", "cifs"]}, "tags": ["web"],
    "rootfs": {"storage": "local-lvm", "size": "8G"},
    "mount_points": [{"slot": "mp0", "storage": "local-lvm", "size": "512M", "path": "/data", "backup": true}],
    "nets": [{"name": "eth0", "bridge": "vmbr0", "ip": "dhcp"}, {"name": "eth1", "bridge": "vmbr1", "tag": 20}],
    "nameserver": ["10.0.0.2", "10.0.0.3"], "ssh_public_keys": ["ssh-ed25519 AAAA a", "ssh-ed25519 BBBB b"]})");
  auto params = ct::CreateParams(desired, "s3cret");
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_EQ((*params)["ostemplate"], "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
  EXPECT_EQ((*params)["unprivileged"], 1);
  EXPECT_EQ((*params)["features"], "mount=cifs;nfs,nesting=1");
  EXPECT_EQ((*params)["tags"], "hainfra;web");
  EXPECT_EQ((*params)["rootfs"], "local-lvm:8");
  EXPECT_EQ((*params)["mp0"], "local-lvm:0.5,mp=/data,backup=1");
  EXPECT_EQ((*params)["net0"], "name=eth0,bridge=vmbr0,ip=dhcp");
  EXPECT_EQ((*params)["net1"], "name=eth1,bridge=vmbr1,tag=20");
  EXPECT_EQ((*params)["nameserver"], "10.0.0.2 10.0.0.3");
  EXPECT_EQ((*params)["ssh-public-keys"], "ssh-ed25519 AAAA a\nssh-ed25519 BBBB b");
  EXPECT_EQ((*params)["password"], "s3cret");
  desired.erase("ostemplate");
  EXPECT_FALSE(ct::CreateParams(desired, "")) << "no template, no container";
}

TEST(CtConfig, AnUpdateKeepsNicSlotsByNameDetachesALeftOutMountPointAndGrowsVolumes) {
  Value config = Value::parse(R"({
    "net0": "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=dhcp,type=veth",
    "net2": "name=eth1,bridge=vmbr1,hwaddr=BC:24:11:00:00:02,type=veth",
    "rootfs": "local-lvm:vm-300-disk-0,size=8G",
    "mp0": "local-lvm:vm-300-disk-1,mp=/data,size=2G", "digest": "x"})");
  Value desired = Value::parse(R"({
    "rootfs": {"storage": "local-lvm", "size": "12G"},
    "mount_points": [],
    "nets": [{"name": "eth0", "bridge": "vmbr0", "ip": "10.0.0.5/24", "gw": "10.0.0.1"},
             {"name": "eth1", "bridge": "vmbr1"}, {"name": "eth2", "bridge": "vmbr2"}]})");
  std::vector<FieldChange> fields(4);
  fields[0].path = "rootfs.size";
  fields[1].path = "mount_points[mp0]";
  fields[2].path = "nets[eth0].ip";
  fields[3].path = "nets[eth2]";
  auto work = ct::UpdateWork(desired, fields, config);
  ASSERT_TRUE(work) << work.error().message;
  ASSERT_EQ(work->resizes.size(), 1u);
  EXPECT_EQ(work->resizes[0].disk, "rootfs");
  EXPECT_EQ(work->resizes[0].size, "12G");
  EXPECT_FALSE(work->params.contains("rootfs")) << "growth is a resize, not a config change";
  EXPECT_EQ(work->deletes, std::vector<std::string>{"mp0"});
  EXPECT_EQ(work->params["net0"], "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=10.0.0.5/24,type=veth,gw=10.0.0.1");
  EXPECT_EQ(work->params["net1"], "name=eth2,bridge=vmbr2") << "a new NIC takes the first free slot";
  EXPECT_FALSE(work->params.contains("net2"));
}

}  // namespace
}  // namespace hainfra::providers
