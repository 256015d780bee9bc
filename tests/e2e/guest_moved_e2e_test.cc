// A guest that moves between the guest list and the read of its config (HA relocated it, an operator
// migrated it): the observe follows it to its new node instead of failing the plan on Proxmox's
// "Configuration file ... does not exist"; a guest that left the cluster meanwhile is simply not there.
#include <gtest/gtest.h>

#include "providers/kinds/guest_list.h"
#include "providers/transport/api_client.h"
#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {
namespace {

class GuestMovedE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = E2eCluster::Start();
    if (cluster_->sim().skipped()) GTEST_SKIP() << cluster_->sim().error();
    ASSERT_TRUE(cluster_->sim().ok()) << cluster_->sim().error();
    auto settings = transport::ResolveApiSettings(Value::object(), cluster_->Env());
    ASSERT_TRUE(settings) << settings.error().message;
    auto api = transport::ApiClient::Create(*settings);
    ASSERT_TRUE(api) << api.error().message;
    api_ = std::move(*api);
    list_ = std::make_unique<providers::GuestList>(api_.get());
    auto created = cluster_->Client().Post("/nodes/pve-01/qemu", {{"vmid", "100"}, {"memory", "1024"}});
    ASSERT_EQ(created.status, 200) << created.raw;
    ASSERT_EQ(cluster_->Client().WaitTask(created.data()), "OK");
  }

  // Reads guest `vmid` starting from the list entry naming `node`, counting the config reads.
  Result<std::optional<Value>> ReadFrom(const std::string& vmid, Value& entry) {
    return list_->ReadConfigWhereItIs(vmid, entry, [&](const std::string& at) {
      ++reads_;
      return api_->Get("/nodes/" + at + "/qemu/" + vmid + "/config");
    });
  }

  std::unique_ptr<E2eCluster> cluster_;
  std::unique_ptr<transport::ApiClient> api_;
  std::unique_ptr<providers::GuestList> list_;
  int reads_ = 0;
};

TEST_F(GuestMovedE2e, AGuestMigratedAfterTheListIsReadOnItsNewNode) {
  Value entry = {{"vmid", 100}, {"node", "pve-01"}, {"type", "qemu"}};  // the list, before the move
  auto moved = cluster_->Client().Post("/nodes/pve-01/qemu/100/migrate", {{"target", "pve-02"}});
  ASSERT_EQ(moved.status, 200) << moved.raw;
  ASSERT_EQ(cluster_->Client().WaitTask(moved.data()), "OK");

  auto config = ReadFrom("100", entry);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_TRUE(config->has_value());
  EXPECT_EQ((**config).value("memory", Value("")).dump(), "\"1024\"");
  EXPECT_EQ(entry.value("node", ""), "pve-02");
  EXPECT_EQ(reads_, 2);
}

TEST_F(GuestMovedE2e, AGuestDestroyedAfterTheListIsNotThere) {
  Value entry = {{"vmid", 100}, {"node", "pve-01"}, {"type", "qemu"}};
  auto destroyed = cluster_->Client().Delete("/nodes/pve-01/qemu/100");
  ASSERT_EQ(destroyed.status, 200) << destroyed.raw;
  ASSERT_EQ(cluster_->Client().WaitTask(destroyed.data()), "OK");

  auto config = ReadFrom("100", entry);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_FALSE(config->has_value());
  EXPECT_EQ(reads_, 1);
}

TEST_F(GuestMovedE2e, AnotherFailureIsReportedWithoutLookingAgain) {
  Value entry = {{"vmid", 100}, {"node", "pve-01"}, {"type", "qemu"}};
  auto config = list_->ReadConfigWhereItIs("100", entry, [&](const std::string&) -> Result<Value> {
    ++reads_;
    return Fail(Code::kPermissionDenied, "HTTP 403: Permission check failed (/vms/100, VM.Audit)");
  });
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("VM.Audit"), std::string::npos);
  EXPECT_EQ(reads_, 1);
}

}  // namespace
}  // namespace hainfra::testing
