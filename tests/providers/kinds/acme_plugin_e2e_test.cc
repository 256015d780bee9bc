// acme_plugin/<id> end to end against pvesim (schema validation on), one pvesim for the whole story: a DNS
// plugin with secret credentials and a standalone one are created, the credentials sent base64-encoded but
// never shown, a second plan is empty, an update changes only what changed, drift after an out-of-band
// change, the export plans to nothing, removal only with consent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "cli/cluster_session.h"
#include "cli/export_command.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

std::string AcmePluginSpec(const std::string& cf_extra, const std::string& http_extra = "") {
  return ClusterHead() + R"(
certificates:
  acme_plugins:
    - { id: cloudflare, type: dns, api: cf, data: { CF_Token: "${env:HAINFRA_TEST_CF_TOKEN}", CF_Account_ID: abc123 })" +
         cf_extra + R"( }
    - { id: http, type: standalone)" + http_extra + R"( }
)";
}

TEST(AcmePluginE2e, CreatesUpdatesDriftsExportsAndRemoves) {
  E2E_START_OR_SKIP(cluster);
  ::setenv("HAINFRA_TEST_CF_TOKEN", "cf-s3cret-token", 1);
  auto spec = cluster->Load(AcmePluginSpec(""));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), UnorderedElementsAre("create acme_plugin/cloudflare", "create acme_plugin/http"));
  CommandRun shown = cluster->RunPlan(*spec);
  EXPECT_THAT(shown.out + shown.err, Not(HasSubstr("cf-s3cret-token")));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(apply.out + apply.err, Not(HasSubstr("cf-s3cret-token")));
  nlohmann::json cf = cluster->Client().Get("/cluster/acme/plugins/cloudflare").data();
  EXPECT_EQ(cf.value("api", ""), "cf");
  // base64 of "CF_Account_ID=abc123\nCF_Token=cf-s3cret-token\n"
  EXPECT_EQ(cf.value("data", ""), "Q0ZfQWNjb3VudF9JRD1hYmMxMjMKQ0ZfVG9rZW49Y2YtczNjcmV0LXRva2VuCg==");
  EXPECT_EQ(cluster->Client().Get("/cluster/acme/plugins/http").data().value("type", ""), "standalone");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());

  // An update writes only what changed.
  auto changed = cluster->Load(AcmePluginSpec(", validation_delay: 120", ", disable: true"));
  ASSERT_TRUE(changed) << changed.error().message;
  auto update = cluster->MakePlan(*changed);
  ASSERT_TRUE(update) << update.error().message;
  EXPECT_THAT(StepLines(*update), UnorderedElementsAre("update acme_plugin/cloudflare", "update acme_plugin/http"));
  apply = cluster->RunApply(*changed);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(cluster->Client().Get("/cluster/acme/plugins/cloudflare").data().value("validation-delay", 0), 120);
  EXPECT_EQ(cluster->Client().Get("/cluster/acme/plugins/http").data().value("disable", 0), 1);
  EXPECT_EQ(cluster->RunDrift(*changed).exit_code, 0);

  // Drift after an out-of-band change.
  ApiResult put = cluster->Client().Put("/cluster/acme/plugins/cloudflare", {{"validation-delay", "30"}});
  ASSERT_EQ(put.status, 200) << put.raw;
  CommandRun drift = cluster->RunDrift(*changed);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_THAT(drift.out, HasSubstr("acme_plugin/cloudflare"));
  EXPECT_THAT(drift.out + drift.err, Not(HasSubstr("cf-s3cret-token")));
  ASSERT_EQ(cluster->RunApply(*changed).exit_code, 0);

  // The export: both plugins, no credentials, and it plans to nothing.
  auto session = cli::ClusterSession::Open(*changed, cluster->Env(), nullptr);
  ASSERT_TRUE(session) << session.error().message;
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  ASSERT_EQ(cli::RunExport(*changed, (*session)->kinds(), {}, console), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("acme_plugins:"));
  EXPECT_THAT(out.str(), HasSubstr("id: cloudflare"));
  EXPECT_THAT(out.str(), Not(HasSubstr("cf-s3cret-token")));
  auto exported = cluster->Load(out.str(), "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << out.str();
  auto replan = cluster->MakePlan(*exported);
  ASSERT_TRUE(replan) << replan.error().message;
  EXPECT_THAT(StepLines(*replan), IsEmpty()) << out.str();

  // Removal only with consent.
  std::string text = AcmePluginSpec(", validation_delay: 120", ", disable: true");
  text.replace(text.find("{ id: http,"), 11, "{ id: http, state: absent,");
  auto absent = cluster->Load(text);
  ASSERT_TRUE(absent) << absent.error().message;
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  auto options = E2eCluster::DefaultApply();
  options.allow_destroy = true;
  ASSERT_EQ(cluster->RunApply(*absent, options).exit_code, 0);
  EXPECT_NE(cluster->Client().Get("/cluster/acme/plugins/http").status, 200);
}

}  // namespace
}  // namespace hainfra::testing
