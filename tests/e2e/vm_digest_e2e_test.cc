// The VM kind's update against a guest changed since the plan: someone else's change fails clearly (no
// blind overwrite); a re-run after a partial apply (the config already as wanted) goes on.
#include <gtest/gtest.h>

#include "providers/kinds/vm.h"
#include "providers/transport/api_client.h"
#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {
namespace {

class VmDigestE2e : public ::testing::Test {
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
    deps_.api = api_.get();
    deps_.pve.major = 9;
    kind_ = std::make_unique<providers::VmKind>(deps_);
    auto created = cluster_->Client().Post("/nodes/pve-01/qemu", {{"vmid", "100"}, {"cores", "2"}, {"memory", "1024"}});
    ASSERT_EQ(created.status, 200) << created.raw;
    ASSERT_EQ(cluster_->Client().WaitTask(created.data()), "OK");
  }

  // The planned change cores 2 -> 4, observed now.
  Change PlanCoresTo4() {
    auto observed = kind_->Observe({Desired()});
    EXPECT_TRUE(observed) << observed.error().message;
    Change change;
    change.address = {"vm", "100"};
    change.action = Action::kUpdate;
    change.before = observed->front().body;
    change.after = Desired().body;
    change.version = observed->front().version;
    FieldChange f;
    f.path = "cores";
    f.before = 2;
    f.after = 4;
    change.fields.push_back(f);
    return change;
  }

  Resource Desired() const {
    Resource r;
    r.address = {"vm", "100"};
    r.body = {{"vmid", 100}, {"node", "pve-01"}, {"cores", 4}, {"memory", 1024}};
    return r;
  }

  int Cores() { return cluster_->Client().Get("/nodes/pve-01/qemu/100/config").data().value("cores", 0); }

  std::unique_ptr<E2eCluster> cluster_;
  std::unique_ptr<transport::ApiClient> api_;
  providers::KindDeps deps_;
  std::unique_ptr<providers::VmKind> kind_;
};

TEST_F(VmDigestE2e, SomeoneElsesChangeSinceThePlanFailsClearly) {
  Change change = PlanCoresTo4();
  ASSERT_EQ(cluster_->Client().Put("/nodes/pve-01/qemu/100/config", {{"memory", "2048"}}).status, 200);
  Status done = kind_->Update(change);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, Code::kFailedPrecondition);
  EXPECT_NE(done.error().message.find("changed by someone else"), std::string::npos) << done.error().message;
  EXPECT_NE(done.error().message.find("memory"), std::string::npos) << done.error().message;
  EXPECT_EQ(Cores(), 2);
}

TEST_F(VmDigestE2e, ARerunAfterThePlannedChangeWentThroughSucceeds) {
  Change change = PlanCoresTo4();
  ASSERT_EQ(cluster_->Client().Put("/nodes/pve-01/qemu/100/config", {{"cores", "4"}}).status, 200);
  Status done = kind_->Update(change);
  EXPECT_TRUE(done) << done.error().message;
  EXPECT_EQ(Cores(), 4);
}

TEST_F(VmDigestE2e, AnUnchangedGuestIsUpdatedWithTheDigest) {
  Change change = PlanCoresTo4();
  Status done = kind_->Update(change);
  EXPECT_TRUE(done) << done.error().message;
  EXPECT_EQ(Cores(), 4);
}

}  // namespace
}  // namespace hainfra::testing
