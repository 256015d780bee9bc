// The CLI's session over the real transports against pvesim: settings only from pvesim's HAINFRA_* lines.
#include <gtest/gtest.h>

#include "cli/cluster_session.h"
#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {
namespace {

constexpr const char* kSessionSpec = R"(
cluster:
  name: lab
  api:
    endpoint: https://10.0.0.11:8006
    token: hainfra@pve!ci
    secret: ${env:HAINFRA_TEST_SECRET_NEVER_SET}
)";

TEST(ClusterSessionE2e, OpensOverPinnedTlsWithTheEnvironmentOverridingTheSpec) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(kSessionSpec);
  ASSERT_TRUE(spec) << spec.error().message;
  auto session = cli::ClusterSession::Open(*spec, cluster->Env(), nullptr);
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ((*session)->deps().pve.major, 9);
}

TEST(ClusterSessionE2e, ReadsPve8FromTheVersionEndpoint) {
  PvesimOptions pve8;
  pve8.pve = 8;
  E2E_START_OR_SKIP(cluster, pve8);
  auto spec = cluster->Load(kSessionSpec);
  ASSERT_TRUE(spec) << spec.error().message;
  auto session = cli::ClusterSession::Open(*spec, cluster->Env(), nullptr);
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ((*session)->deps().pve.major, 8);
}

TEST(ClusterSessionE2e, AWrongPinIsRefusedBeforeAnyCredentialIsSent) {
  E2E_START_OR_SKIP(cluster);
  cluster->SetEnv("HAINFRA_TLS_FINGERPRINT",
                  "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
  auto spec = cluster->Load(kSessionSpec);
  ASSERT_TRUE(spec) << spec.error().message;
  CommandRun run = cluster->RunPlan(*spec);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("fingerprint"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(cluster->sim().secret()), std::string::npos);
}

}  // namespace
}  // namespace hainfra::testing
