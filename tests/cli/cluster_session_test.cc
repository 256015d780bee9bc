#include "cli/cluster_session.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "tests/testing/transport_testing.h"

namespace hainfra::cli {
namespace {

using testing::EnvOf;

TEST(ResolveApiSecrets, ResolvesAnEnvReferenceOfTheSpec) {
  ::setenv("HAINFRA_TEST_SESSION_SECRET", "s3cr3t-value", 1);
  Value api = {{"endpoint", "https://10.0.0.11:8006"}, {"secret", "${env:HAINFRA_TEST_SESSION_SECRET}"}};
  Result<Value> resolved = ResolveApiSecrets(api, EnvOf({}));
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_EQ((*resolved)["secret"], "s3cr3t-value");
  EXPECT_EQ((*resolved)["endpoint"], "https://10.0.0.11:8006");
  ::unsetenv("HAINFRA_TEST_SESSION_SECRET");
}

TEST(ResolveApiSecrets, TheEnvironmentOverrideMakesTheSpecReferenceUnneeded) {
  Value api = {{"secret", "${env:HAINFRA_TEST_NEVER_SET}"}, {"password", "${env:HAINFRA_TEST_NEVER_SET_2}"}};
  Result<Value> resolved =
      ResolveApiSecrets(api, EnvOf({{"HAINFRA_API_SECRET", "x"}, {"HAINFRA_API_PASSWORD", "y"}}));
  ASSERT_TRUE(resolved) << resolved.error().message;
  EXPECT_FALSE(resolved->contains("secret"));
  EXPECT_FALSE(resolved->contains("password"));
}

TEST(ResolveApiSecrets, AMissingVariableIsAnErrorNamingTheSettingAndTheVariable) {
  Value api = {{"secret", "${env:HAINFRA_TEST_NEVER_SET}"}};
  Result<Value> resolved = ResolveApiSecrets(api, EnvOf({}));
  ASSERT_FALSE(resolved);
  EXPECT_NE(resolved.error().message.find("cluster.api.secret"), std::string::npos) << resolved.error().message;
  EXPECT_NE(resolved.error().message.find("HAINFRA_TEST_NEVER_SET"), std::string::npos) << resolved.error().message;
}

TEST(ClusterSession, RefusesToOpenWithoutAnEndpoint) {
  Spec spec;
  auto session = ClusterSession::Open(spec, EnvOf({}), nullptr);
  ASSERT_FALSE(session);
  EXPECT_NE(session.error().message.find("endpoint"), std::string::npos) << session.error().message;
}

}  // namespace
}  // namespace hainfra::cli
