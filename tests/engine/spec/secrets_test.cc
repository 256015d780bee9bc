#include "engine/spec/secrets.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/testing/spec_testing.h"

namespace hainfra::spec {
namespace {

constexpr const char* kValue = "s3cr3t-value-never-printed";

TEST(CheckSecretReference, AcceptsEnvAndFile) {
  EXPECT_TRUE(CheckSecretReference("${env:PVE_TOKEN_SECRET}"));
  EXPECT_TRUE(CheckSecretReference("${file:/etc/hainfra/token}"));
  EXPECT_FALSE(CheckSecretReference("${env:1ABC}"));
  EXPECT_FALSE(CheckSecretReference("${env:A-B}"));
  EXPECT_FALSE(CheckSecretReference("${file:}"));
  EXPECT_FALSE(CheckSecretReference("${env:A"));
  EXPECT_FALSE(CheckSecretReference("${vault:x}"));
}

TEST(ResolveSecret, ReadsTheEnvironment) {
  ::setenv("HAINFRA_TEST_SECRET", kValue, 1);
  Result<std::string> value = ResolveSecret("${env:HAINFRA_TEST_SECRET}");
  ::unsetenv("HAINFRA_TEST_SECRET");
  ASSERT_TRUE(value);
  EXPECT_EQ(*value, kValue);
}

TEST(ResolveSecret, MissingVariableIsAnErrorNamingIt) {
  ::unsetenv("HAINFRA_TEST_MISSING");
  Result<std::string> value = ResolveSecret("${env:HAINFRA_TEST_MISSING}");
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, Code::kNotFound);
  EXPECT_EQ(value.error().message, "environment variable HAINFRA_TEST_MISSING is not set");
}

TEST(ResolveSecret, ReadsAFileWithoutItsTrailingNewline) {
  const std::string path = std::filesystem::temp_directory_path() / ("hainfra-secret-" + std::to_string(::getpid()));
  std::ofstream(path) << kValue << "\n";
  Result<std::string> value = ResolveSecret("${file:" + path + "}");
  std::filesystem::remove(path);
  ASSERT_TRUE(value);
  EXPECT_EQ(*value, kValue);
}

TEST(ResolveSecret, MissingFileIsAnErrorNamingIt) {
  Result<std::string> value = ResolveSecret("${file:/nonexistent/hainfra-token}");
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().message, "cannot read secret file /nonexistent/hainfra-token: No such file or directory");
}

TEST(ResolveSecret, PlainTextIsReturnedAsIs) {
  EXPECT_EQ(ResolveSecret("plain").value(), "plain");
}

TEST(CheckSecretsResolve, ReportsAtTheFieldAndNeverShowsValues) {
  ::setenv("HAINFRA_TEST_SET", kValue, 1);
  ::unsetenv("HAINFRA_TEST_UNSET");
  const LoadResult loaded = testing::LoadYaml(R"(cluster:
  name: lab
  api:
    endpoint: https://10.0.0.11:8006
    secret: ${env:HAINFRA_TEST_UNSET}
storage:
  - { id: pbs, type: pbs, server: 10.0.0.50, datastore: main, password: "${env:HAINFRA_TEST_SET}" }
)");
  ASSERT_FALSE(HasErrors(loaded.diagnostics));
  const Diagnostics found = CheckSecretsResolve(loaded.spec);
  ::unsetenv("HAINFRA_TEST_SET");
  EXPECT_EQ(testing::Lines(found),
            std::vector<std::string>{
                "5:5: error: cluster/lab: environment variable HAINFRA_TEST_UNSET is not set"});
  for (const Diagnostic& d : loaded.diagnostics) EXPECT_EQ(d.message.find(kValue), std::string::npos);
}

}  // namespace
}  // namespace hainfra::spec
