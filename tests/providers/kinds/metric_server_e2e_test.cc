// metric_server/<id> end to end against pvesim (schema validation on): an InfluxDB over HTTPS with a token
// and a Graphite server, the token sent but never shown, an empty second plan, an update that carries the
// PUT's required keys, drift, removal only with consent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using ::testing::ElementsAre;

std::string MetricSpec(const std::string& influx_extra) {
  return ClusterHead() + R"(
metric_servers:
  - { id: influx, type: influxdb, server: 10.0.0.5, port: 8086, protocol: https, organization: lab,
      bucket: pve, token: "${env:HAINFRA_TEST_INFLUX_TOKEN}")" + influx_extra + R"( }
  - { id: graphite, type: graphite, server: 10.0.0.6, port: 2003, protocol: tcp, path: lab.pve }
)";
}

TEST(MetricServerE2e, CreatesBothTypesThenPlansNothing) {
  E2E_START_OR_SKIP(cluster);
  ::setenv("HAINFRA_TEST_INFLUX_TOKEN", "influx-s3cret", 1);
  auto spec = cluster->Load(MetricSpec(""));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), UnorderedElementsAre("create metric_server/influx", "create metric_server/graphite"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(apply.out + apply.err, Not(HasSubstr("influx-s3cret")));
  nlohmann::json influx = cluster->Client().Get("/cluster/metrics/server/influx").data();
  EXPECT_EQ(influx.value("influxdbproto", ""), "https");
  EXPECT_FALSE(influx.contains("token"));
  EXPECT_EQ(cluster->Client().Control("GET", "/files/priv/metricserver/influx.pw").data().value("content", ""),
            "influx-s3cret");
  nlohmann::json graphite = cluster->Client().Get("/cluster/metrics/server/graphite").data();
  EXPECT_EQ(graphite.value("proto", ""), "tcp");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(MetricServerE2e, UpdatesInPlaceAndDriftIsReported) {
  E2E_START_OR_SKIP(cluster);
  ::setenv("HAINFRA_TEST_INFLUX_TOKEN", "influx-s3cret", 1);
  auto spec = cluster->Load(MetricSpec(""));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  auto changed = cluster->Load(MetricSpec(", verify_certificate: false, disable: true"));
  ASSERT_TRUE(changed) << changed.error().message;
  auto plan = cluster->MakePlan(*changed);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update metric_server/influx"));
  CommandRun apply = cluster->RunApply(*changed);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(cluster->Client().Get("/cluster/metrics/server/influx").data().value("verify-certificate", 1), 0);
  EXPECT_EQ(cluster->RunDrift(*changed).exit_code, 0);

  ApiResult put = cluster->Client().Put("/cluster/metrics/server/graphite",
                                        {{"server", "10.0.0.6"}, {"port", "2003"}, {"path", "other"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  CommandRun drift = cluster->RunDrift(*changed);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("metric_server/graphite"));

  std::string text = MetricSpec("");
  text.replace(text.find("{ id: graphite,"), 15, "{ id: graphite, state: absent,");
  auto absent = cluster->Load(text);
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  ASSERT_EQ(cluster->RunApply(*absent, options).exit_code, 0);
  EXPECT_NE(cluster->Client().Get("/cluster/metrics/server/graphite").status, 200);
}

}  // namespace
}  // namespace hainfra::testing
