// ceph_pool/<name> end to end against pvesim with Ceph (schema validation on): create and update as tasks,
// an empty second plan, pg_num left to the autoscaler while it is on, drift, destroy only with consent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

PvesimOptions WithCeph() {
  PvesimOptions options;
  options.args = {"--ceph"};
  return options;
}

std::string PoolSpec(const std::string& settings, const std::string& state = "present") {
  return ClusterHead() + R"(
ceph:
  pools:
    - { name: vm-pool, state: )" + state + ", " + settings + R"( }
)";
}

nlohmann::json Pool(E2eCluster& cluster, const std::string& name) {
  for (const auto& pool : cluster.Client().Get("/nodes/pve-01/ceph/pool").data()) {
    if (pool.value("pool_name", "") == name) return pool;
  }
  return nullptr;
}

TEST(CephPoolE2e, CreatesUpdatesAndConverges) {
  E2E_START_OR_SKIP(cluster, WithCeph());
  auto spec = cluster->Load(PoolSpec(R"(size: 3, min_size: 2, pg_num: 64, pg_autoscale_mode: "off", application: rbd,
        target_size: 2T)"));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("create ceph_pool/vm-pool"));  // .mgr is not declared
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  nlohmann::json pool = Pool(*cluster, "vm-pool");
  ASSERT_FALSE(pool.is_null());
  EXPECT_EQ(pool.value("pg_num", 0), 64);
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());

  auto grown = cluster->Load(PoolSpec(R"(size: 3, min_size: 2, pg_num: 128, pg_autoscale_mode: "off", application: rbd,
        target_size: 2T)"));
  ASSERT_TRUE(grown) << grown.error().message;
  auto update = cluster->MakePlan(*grown);
  ASSERT_TRUE(update) << update.error().message;
  EXPECT_THAT(StepLines(*update), ElementsAre("update ceph_pool/vm-pool"));
  EXPECT_THAT(ChangedPaths(*update, "ceph_pool/vm-pool"), ElementsAre("pg_num"));
  ASSERT_EQ(cluster->RunApply(*grown).exit_code, 0);
  EXPECT_EQ(Pool(*cluster, "vm-pool").value("pg_num", 0), 128);
  auto converged = cluster->MakePlan(*grown);
  ASSERT_TRUE(converged) << converged.error().message;
  EXPECT_THAT(StepLines(*converged), IsEmpty());
}

TEST(CephPoolE2e, PgNumUnderTheAutoscalerIsNotDriftButSizeIs) {
  E2E_START_OR_SKIP(cluster, WithCeph());
  auto spec = cluster->Load(PoolSpec(R"(size: 3, min_size: 2, pg_num: 32, pg_autoscale_mode: "on")"));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);

  // The autoscaler moved pg_num: it owns it while its mode is on.
  ApiResult scaled = cluster->Client().Put("/nodes/pve-01/ceph/pool/vm-pool", {{"pg_num", "256"}});
  ASSERT_EQ(scaled.status, 200) << scaled.raw;
  ASSERT_TRUE(scaled.data().is_string()) << scaled.raw;
  EXPECT_EQ(cluster->Client().WaitTask(scaled.data().get<std::string>()), "OK");
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);

  ApiResult shrunk = cluster->Client().Put("/nodes/pve-01/ceph/pool/vm-pool", {{"size", "2"}});
  ASSERT_EQ(shrunk.status, 200) << shrunk.raw;
  ASSERT_TRUE(shrunk.data().is_string()) << shrunk.raw;
  EXPECT_EQ(cluster->Client().WaitTask(shrunk.data().get<std::string>()), "OK");
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("ceph_pool/vm-pool"));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(Pool(*cluster, "vm-pool").value("size", 0), 3);
  EXPECT_EQ(Pool(*cluster, "vm-pool").value("pg_num", 0), 256);  // left to the autoscaler
}

TEST(CephPoolE2e, DestroysOnlyWithConsent) {
  E2E_START_OR_SKIP(cluster, WithCeph());
  auto spec = cluster->Load(PoolSpec("size: 3"));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  auto absent = cluster->Load(PoolSpec("size: 3", "absent"));
  ASSERT_TRUE(absent) << absent.error().message;
  auto plan = cluster->MakePlan(*absent);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("delete ceph_pool/vm-pool"));
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  EXPECT_FALSE(Pool(*cluster, "vm-pool").is_null());
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  CommandRun done = cluster->RunApply(*absent, options);
  ASSERT_EQ(done.exit_code, 0) << done.out << done.err;
  EXPECT_TRUE(Pool(*cluster, "vm-pool").is_null());
}

TEST(CephPoolE2e, AClusterWithoutCephPlansNothingWhenNoPoolIsDeclared) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(ClusterHead());
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), IsEmpty());
}

}  // namespace
}  // namespace hainfra::testing
