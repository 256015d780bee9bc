#include "providers/transport/api_settings.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/testing/transport_testing.h"

namespace hainfra::transport {
namespace {

using testing::EnvOf;

const Value kSpec = {{"endpoint", "https://10.0.0.11:8006"},
                     {"token", "hainfra@pve!ci"},
                     {"secret", "spec-secret-1234"},
                     {"tls_fingerprint", "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"},
                     {"connect_timeout", 3},
                     {"timeout", 1.5},
                     {"max_connections", 4}};

TEST(ApiSettings, ReadsTheSpecValues) {
  auto s = ResolveApiSettings(kSpec, EnvOf({}));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->endpoint, "https://10.0.0.11:8006");
  EXPECT_EQ(s->token_id, "hainfra@pve!ci");
  EXPECT_EQ(s->token_secret.Reveal(), "spec-secret-1234");
  EXPECT_EQ(s->tls_fingerprint.substr(0, 8), "AB:CD:EF");
  EXPECT_EQ(s->connect_timeout, std::chrono::seconds(3));
  EXPECT_EQ(s->request_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(s->max_connections, 4);
  EXPECT_FALSE(s->insecure);
}

TEST(ApiSettings, EnvironmentOverridesTheSpec) {
  auto s = ResolveApiSettings(kSpec, EnvOf({{"HAINFRA_API_ENDPOINT", "https://127.0.0.1:18006"},
                                            {"HAINFRA_API_TOKEN", "ci@pve!runner"},
                                            {"HAINFRA_API_SECRET", "env-secret-5678"},
                                            {"HAINFRA_API_PASSWORD", "pw-from-env"},
                                            {"HAINFRA_CA_FILE", "/dev/null"},
                                            {"HAINFRA_TLS_FINGERPRINT", std::string(64, 'e')},
                                            {"HAINFRA_API_INSECURE", "1"}}));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->endpoint, "https://127.0.0.1:18006");
  EXPECT_EQ(s->token_id, "ci@pve!runner");
  EXPECT_EQ(s->token_secret.Reveal(), "env-secret-5678");
  EXPECT_EQ(s->password.Reveal(), "pw-from-env");
  EXPECT_EQ(s->ca_file, "/dev/null");
  EXPECT_EQ(s->tls_fingerprint.substr(0, 6), "EE:EE:");
  EXPECT_TRUE(s->insecure);
}

TEST(ApiSettings, FullTokenFormIsSplitIntoIdAndSecret) {
  auto s = ResolveApiSettings({{"endpoint", "https://pve"}, {"token", "root@pam!ops=0b8c7d5e-5f3a"}}, EnvOf({}));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->token_id, "root@pam!ops");
  EXPECT_EQ(s->token_secret.Reveal(), "0b8c7d5e-5f3a");
}

TEST(ApiSettings, PasswordAloneIsEnough) {
  auto s = ResolveApiSettings({{"endpoint", "https://pve"}, {"password", "pw"}}, EnvOf({}));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_FALSE(s->HasToken());
  EXPECT_TRUE(s->HasPassword());
  EXPECT_EQ(s->ticket_user, "root@pam");
}

TEST(ApiSettings, BadInputsNameTheirKey) {
  struct Case {
    Value spec;
    std::string expected;
  };
  std::vector<Case> cases = {
      {{{"endpoint", "https://pve"}}, "no API credentials"},
      {{{"token", "a@b!c"}, {"secret", "s"}}, "cluster.api.endpoint is not set"},
      {{{"endpoint", "10.0.0.11:8006"}, {"password", "p"}}, "has no scheme"},
      {{{"endpoint", "https://pve/json"}, {"password", "p"}}, "path"},
      {{{"endpoint", "https://pve:99999"}, {"password", "p"}}, "invalid port"},
      {{{"endpoint", "https://pve"}, {"token", "hainfra"}, {"secret", "s"}}, "cluster.api.token"},
      {{{"endpoint", "https://pve"}, {"token", "a@b!c"}}, "secret is not"},
      {{{"endpoint", "https://pve"}, {"secret", "s"}}, "token id is not"},
      {{{"endpoint", "https://pve"}, {"password", "p"}, {"tls_fingerprint", "AB:CD"}}, "cluster.api.tls_fingerprint"},
      {{{"endpoint", "https://pve"}, {"password", "p"}, {"ca_file", "/nonexistent/ca.pem"}}, "cluster.api.ca_file"},
      {{{"endpoint", "https://pve"}, {"password", "p"}, {"max_connections", 0}}, "cluster.api.max_connections"},
      {{{"endpoint", "https://pve"}, {"password", "p"}, {"timeout", -1}}, "cluster.api.timeout"},
      {{{"endpoint", "https://pve"}, {"password", "p"}, {"insecure", "yes"}}, "cluster.api.insecure"},
      {{{"endpoint", "https://pve"}, {"password", "p"}, {"tokne", "x"}}, "cluster.api.tokne: unknown key"},
      {{{"endpoint", 8006}}, "cluster.api.endpoint: expected a string"},
      {Value("x"), "cluster.api: expected a mapping"},
  };
  for (const Case& c : cases) {
    auto s = ResolveApiSettings(c.spec, EnvOf({}));
    ASSERT_FALSE(s) << c.spec.dump();
    EXPECT_EQ(s.error().code, Code::kInvalidArgument) << c.spec.dump();
    EXPECT_NE(s.error().message.find(c.expected), std::string::npos) << c.spec.dump() << " -> " << s.error().message;
  }
}

TEST(ApiSettings, InsecureEnvironmentValueMustBeZeroOrOne) {
  auto s =
      ResolveApiSettings({{"endpoint", "https://pve"}, {"password", "p"}}, EnvOf({{"HAINFRA_API_INSECURE", "yes"}}));
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("HAINFRA_API_INSECURE"), std::string::npos);
}

TEST(ApiSettings, TaskTimeoutFromTheEnvironmentCapsTaskWaits) {
  auto s = ResolveApiSettings({{"endpoint", "https://pve"}, {"password", "p"}}, EnvOf({{"HAINFRA_TASK_TIMEOUT", "90"}}));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->task_timeout, std::chrono::seconds(90));
  for (const char* bad : {"0", "-1", "1.5", "soon"}) {
    auto refused = ResolveApiSettings({{"endpoint", "https://pve"}, {"password", "p"}}, EnvOf({{"HAINFRA_TASK_TIMEOUT", bad}}));
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("HAINFRA_TASK_TIMEOUT"), std::string::npos) << bad;
  }
}

TEST(ApiSettings, RetryDelayFromTheEnvironmentShortensTheBackoff) {
  auto s = ResolveApiSettings({{"endpoint", "https://pve"}, {"password", "p"}}, EnvOf({{"HAINFRA_API_RETRY_DELAY_MS", "20"}}));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->retry.base_delay, std::chrono::milliseconds(20));
  EXPECT_EQ(s->retry.max_attempts, 5) << "only the delay changes";
  for (const char* bad : {"0", "-5", "1.5", "fast", "60001"}) {
    auto refused =
        ResolveApiSettings({{"endpoint", "https://pve"}, {"password", "p"}}, EnvOf({{"HAINFRA_API_RETRY_DELAY_MS", bad}}));
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("HAINFRA_API_RETRY_DELAY_MS"), std::string::npos) << bad;
  }
}

TEST(ApiBaseUrl, AddsTheDefaultPortAndTheApiPath) {
  EXPECT_EQ(*ApiBaseUrl("https://10.0.0.11"), "https://10.0.0.11:8006/api2/json");
  EXPECT_EQ(*ApiBaseUrl("https://pve.example.org:443/"), "https://pve.example.org:443/api2/json");
  EXPECT_EQ(*ApiBaseUrl("https://pve:8006/api2/json/"), "https://pve:8006/api2/json");
  EXPECT_EQ(*ApiBaseUrl("https://[fd00::11]"), "https://[fd00::11]:8006/api2/json");
  EXPECT_EQ(*ApiBaseUrl("http://127.0.0.1:18006"), "http://127.0.0.1:18006/api2/json");
  EXPECT_FALSE(ApiBaseUrl("https://fd00::11"));
  EXPECT_FALSE(ApiBaseUrl("https://user:pw@pve"));
  EXPECT_FALSE(ApiBaseUrl("https://"));
}

TEST(ApiSettings, ErrorAboutAMistypedTokenNeverQuotesIt) {
  auto s = ResolveApiSettings({{"endpoint", "https://pve"}, {"token", "not-a-token=super-secret-value"}}, EnvOf({}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.find("super-secret-value"), std::string::npos);
  EXPECT_EQ(s.error().message.find("not-a-token"), std::string::npos);
}

}  // namespace
}  // namespace hainfra::transport
