// pvesim joined to pvelab (`pvelab up --sim`): the API's node-level views come from the lab's real nodes —
// package versions from each node's dpkg, quorum and membership from real corosync, /cluster/config from the
// shared corosync.conf — and what the API writes to /etc/pve is what the nodes see. Through hainfra's own
// API client, configured only from the lab's HAINFRA_* lines, with pvesim's schema validation on.
#include <gtest/gtest.h>

#include "providers/transport/api_client.h"
#include "providers/transport/api_settings.h"
#include "tests/testing/lab_commands.h"
#include "tests/testing/pvelab_fixture.h"

namespace hainfra::testing {
namespace {

using std::chrono::seconds;

class LabJoined : public LabTest {
 protected:
  LabOptions Options() const override {
    LabOptions o;
    o.sim = true;
    return o;
  }

  std::unique_ptr<transport::ApiClient> Api() const {
    auto client = LabApiClient(*lab_);
    EXPECT_TRUE(client.has_value()) << client.error().message;
    return client ? std::move(*client) : nullptr;
  }

  // The `node` entry of NAME in /cluster/status, null when absent.
  static Value StatusOf(const Value& status, const std::string& type, const std::string& name = "") {
    for (const Value& entry : status) {
      if (entry.value("type", "") == type && (name.empty() || entry.value("name", "") == name)) return entry;
    }
    return nullptr;
  }

  // Version of PACKAGE in /nodes/NODE/apt/versions, empty when not listed.
  static std::string AptVersion(transport::ApiClient& api, const std::string& node, const std::string& package) {
    auto versions = api.Get("/nodes/" + node + "/apt/versions");
    if (!versions) return "error: " + versions.error().message;
    for (const Value& entry : *versions) {
      if (entry.value("Package", "") == package) return entry.value("Version", "");
    }
    return "";
  }
};

TEST_F(LabJoined, UpPrintsTheSimulatorsAndTheLabsSettings) {
  for (const char* name : {"HAINFRA_API_ENDPOINT", "HAINFRA_API_TOKEN", "HAINFRA_API_SECRET", "HAINFRA_API_PASSWORD",
                           "HAINFRA_TLS_FINGERPRINT", "PVESIM_CONTROL_TOKEN", "HAINFRA_SSH_IDENTITY",
                           "HAINFRA_SSH_KNOWN_HOSTS", "HAINFRA_SSH_ADDRESSES"}) {
    EXPECT_TRUE(lab_->Env().contains(name)) << name;
  }
  auto api = Api();
  ASSERT_NE(api, nullptr);
  auto nodes = api->Get("/nodes");
  ASSERT_TRUE(nodes.has_value()) << nodes.error().message;
  EXPECT_EQ(nodes->size(), 3u);
}

TEST_F(LabJoined, AptVersionsShowAPinnedInstallOnThatNodeOnly) {
  auto api = Api();
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(AptVersion(*api, "pve-02", "hainfra-test-a"), "");
  EXPECT_EQ(AptVersion(*api, "pve-02", "pve-manager"), "9.1.1");
  LabCommand install = lab_->Ssh("pve-02", "DEBIAN_FRONTEND=noninteractive apt-get install -y -q hainfra-test-a=1.1-1");
  ASSERT_EQ(install.exit_code, 0) << install.output;
  EXPECT_EQ(AptVersion(*api, "pve-02", "hainfra-test-a"), "1.1-1");
  EXPECT_EQ(AptVersion(*api, "pve-01", "hainfra-test-a"), "");
  EXPECT_EQ(AptVersion(*api, "pve-03", "hainfra-test-a"), "");
  // An upgrade of pve-manager on one node shows in that node's view only.
  ASSERT_EQ(lab_->Exec("pve-03", "apt-get install -y -q pve-manager=9.1.2 >/dev/null 2>&1").exit_code, 0);
  EXPECT_EQ(AptVersion(*api, "pve-03", "pve-manager"), "9.1.2");
  EXPECT_EQ(AptVersion(*api, "pve-01", "pve-manager"), "9.1.1");
}

TEST_F(LabJoined, ClusterConfigComesFromTheSharedCorosyncConf) {
  auto api = Api();
  ASSERT_NE(api, nullptr);
  auto nodes = api->Get("/cluster/config/nodes");
  ASSERT_TRUE(nodes.has_value()) << nodes.error().message;
  ASSERT_EQ(nodes->size(), 3u) << nodes->dump();
  for (const Value& node : *nodes) {
    std::string name = node.value("name", "");
    EXPECT_EQ(node.value("ring0_addr", ""), lab_->Link0(name)) << node.dump();
    EXPECT_EQ(node.value("ring1_addr", ""), lab_->Link1(name)) << node.dump();
  }
  auto totem = api->Get("/cluster/config/totem");
  ASSERT_TRUE(totem.has_value()) << totem.error().message;
  EXPECT_EQ(totem->value("cluster_name", ""), "hainfra-lab");
  // A new corosync.conf written on a node (edit a copy, bump the version, move it into place) is what the
  // API reports next.
  LabCommand edit = lab_->Ssh("pve-02", "cd /etc/pve && sed -e 's/config_version: 1/config_version: 2/' "
                                        "-e 's/token: 1000/token: 1200/' corosync.conf > corosync.conf.new && "
                                        "mv corosync.conf.new corosync.conf");
  ASSERT_EQ(edit.exit_code, 0) << edit.output;
  totem = api->Get("/cluster/config/totem");
  ASSERT_TRUE(totem.has_value()) << totem.error().message;
  EXPECT_EQ(totem->value("token", ""), "1200") << totem->dump();
  EXPECT_EQ(totem->value("config_version", ""), "2") << totem->dump();
}

TEST_F(LabJoined, ClusterStatusFollowsTheRealCorosyncThroughIsolation) {
  auto api = Api();
  ASSERT_NE(api, nullptr);
  auto status = api->Get("/cluster/status");
  ASSERT_TRUE(status.has_value()) << status.error().message;
  EXPECT_EQ(StatusOf(*status, "cluster").value("quorate", -1), 1) << status->dump();
  EXPECT_EQ(StatusOf(*status, "node", "pve-03").value("online", -1), 1) << status->dump();

  ASSERT_TRUE(lab_->Fault({"isolate", "pve-03"}).has_value());
  bool seen = PvelabFixture::WaitFor(
      [&] {
        status = api->Get("/cluster/status");
        return status && StatusOf(*status, "node", "pve-03").value("online", -1) == 0;
      },
      seconds(20));
  ASSERT_TRUE(seen) << (status ? status->dump() : status.error().message);
  EXPECT_EQ(StatusOf(*status, "cluster").value("quorate", -1), 1) << "pve-01 and pve-02 keep quorum";
  EXPECT_EQ(StatusOf(*status, "node", "pve-02").value("online", -1), 1);

  ASSERT_TRUE(lab_->Fault({"heal", "pve-03"}).has_value());
  EXPECT_TRUE(PvelabFixture::WaitFor(
      [&] {
        status = api->Get("/cluster/status");
        return status && StatusOf(*status, "node", "pve-03").value("online", -1) == 1;
      },
      seconds(20)));
}

TEST_F(LabJoined, ServedNodeWithoutQuorumRefusesWrites) {
  auto api = Api();
  ASSERT_NE(api, nullptr);
  // pvesim serves pve-01's API: cut pve-01 off corosync (both links), its pmxcfs turns read-only.
  ASSERT_TRUE(lab_->Fault({"link-down", "pve-01", "link0"}).has_value());
  ASSERT_TRUE(lab_->Fault({"link-down", "pve-01", "link1"}).has_value());
  Result<Value> status;
  ASSERT_TRUE(PvelabFixture::WaitFor(
      [&] {
        status = api->Get("/cluster/status");
        return status && StatusOf(*status, "cluster").value("quorate", -1) == 0;
      },
      seconds(20)))
      << (status ? status->dump() : status.error().message);
  auto create = api->Post("/nodes/pve-01/qemu", {{"vmid", 150}, {"name", "refused"}});
  ASSERT_FALSE(create.has_value());
  EXPECT_NE(create.error().message.find("no quorum"), std::string::npos) << create.error().message;
  EXPECT_NE(lab_->Exec("pve-01", "touch /etc/pve/x").exit_code, 0) << "the node's own /etc/pve is read-only too";
}

TEST_F(LabJoined, GuestConfigWrittenThroughTheApiAppearsOnTheNodes) {
  auto api = Api();
  ASSERT_NE(api, nullptr);
  auto upid = api->Post("/nodes/pve-02/qemu", {{"vmid", 100}, {"name", "db1"}, {"cores", 2}, {"memory", 2048}});
  ASSERT_TRUE(upid.has_value()) << upid.error().message;
  auto task = api->WaitTask(upid->get<std::string>(), std::chrono::seconds(30));
  ASSERT_TRUE(task.has_value()) << task.error().message;
  // pve-02 sees it as its own guest, every node under nodes/pve-02.
  LabCommand local = lab_->Exec("pve-02", "cat /etc/pve/qemu-server/100.conf");
  ASSERT_EQ(local.exit_code, 0) << local.output;
  EXPECT_NE(local.output.find("name: db1\n"), std::string::npos) << local.output;
  EXPECT_NE(local.output.find("cores: 2\n"), std::string::npos) << local.output;
  EXPECT_EQ(lab_->Ssh("pve-03", "cat /etc/pve/nodes/pve-02/qemu-server/100.conf").output, local.output);
  EXPECT_NE(lab_->Exec("pve-03", "test -e /etc/pve/qemu-server/100.conf").exit_code, 0);
  // A change made on the node is what the API reads back.
  ASSERT_EQ(lab_->Exec("pve-02", "sed -i 's/^cores: 2$/cores: 4/' /etc/pve/qemu-server/100.conf").exit_code, 0);
  auto config = api->Get("/nodes/pve-02/qemu/100/config");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->value("cores", 0), 4) << config->dump();
}

}  // namespace
}  // namespace hainfra::testing
