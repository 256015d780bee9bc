// The canary: no token secret, password, ticket or CSRF token ever appears in an error or a log line, even
// when the server echoes them back. Failures name the leaking text's index, never the text itself.
#include <gtest/gtest.h>

#include "providers/transport/api_client.h"
#include "providers/transport/api_path.h"
#include "tests/testing/api_test_harness.h"
#include "tests/testing/tcp_test_servers.h"

namespace hainfra::transport {
namespace {

using testing::ApiTestHarness;
using testing::Envelope;
using testing::HttpsTestServer;
using testing::RecordedRequest;

constexpr char kEnvSecret[] = "7d3c0c5e-canary-env-secret-0f9e";
constexpr char kTicket[] = "PVE:root@pam:65F0A1B2::canary+ticket/signature==";
constexpr char kCsrf[] = "65F0A1B2:canary-csrf-token-value";

struct Collected {
  std::vector<std::string> texts;
  void Add(const Error& error) { texts.push_back(error.ToString()); }
  template <typename T>
  void Add(const Result<T>& result) {
    if (!result) Add(result.error());
  }
};

std::vector<std::string> Secrets() {
  std::vector<std::string> raw = {testing::kTestTokenSecret, testing::kTestPassword, kEnvSecret, kTicket, kCsrf};
  std::vector<std::string> all = raw;
  for (const std::string& s : raw) all.push_back(EncodeFormComponent(s));
  return all;
}

void ExpectNoSecret(const std::vector<std::string>& texts) {
  auto secrets = Secrets();
  for (size_t i = 0; i < texts.size(); ++i) {
    for (size_t s = 0; s < secrets.size(); ++s) {
      EXPECT_EQ(texts[i].find(secrets[s]), std::string::npos) << "text #" << i << " leaks secret #" << s;
    }
  }
}

// A hostile server: every answer is an error whose message quotes every credential it received.
void EchoCredentials(HttpsTestServer& server, int status) {
  server.SetHandler([status](const RecordedRequest& req, httplib::Response& res) {
    if (req.path == "/api2/json/access/ticket" && status == 200) {
      HttpsTestServer::Reply(res, 200, Envelope({{"ticket", kTicket}, {"CSRFPreventionToken", kCsrf}}));
      return;
    }
    std::string echo = "auth=" + req.Header("authorization") + " cookie=" + req.Header("cookie") +
                       " csrf=" + req.Header("csrfpreventiontoken") + " body=" + req.body;
    int code = status == 200 ? 500 : status;
    HttpsTestServer::Reply(res, code, {{"data", nullptr}, {"message", echo}, {"errors", {{"password", echo}}}}, "x");
  });
}

TEST(ApiCanary, NoSecretInAnyErrorOrLogLine) {
  Collected collected;
  std::vector<std::string> logs;

  for (int status : {400, 401, 403, 500, 503}) {  // the token, echoed in every kind of error
    ApiTestHarness h;
    EchoCredentials(h.server, status);
    auto client = h.Client();
    collected.Add(client->Get("/cluster/resources"));
    collected.Add(client->Post("/access/users", {{"userid", "ops@pve"}, {"password", testing::kTestPassword}}));
    for (auto& line : h.Logs()) logs.push_back(line);
  }
  {  // the ticket and CSRF token, echoed after a successful login; then a failing login
    ApiTestHarness h;
    EchoCredentials(h.server, 200);
    auto settings = h.Settings();
    settings.password = Secret(testing::kTestPassword);
    auto client = h.Client(settings);
    Request join;
    join.method = Method::kPost;
    join.path = "/cluster/config/join";
    join.auth = Auth::kTicket;
    collected.Add(client->Send(join));
    EchoCredentials(h.server, 401);
    auto fresh = h.Client(settings);
    collected.Add(fresh->Send(join));
    for (auto& line : h.Logs()) logs.push_back(line);
  }
  {  // TLS refusals, insecure warnings, refused connections, task failures quoting the secret
    ApiTestHarness h;
    auto settings = h.Settings();
    settings.tls_fingerprint = h.server.certificates().ca_fingerprint;
    collected.Add(h.Client(settings)->Get("/version"));
    settings.tls_fingerprint.clear();
    settings.insecure = true;
    auto insecure = h.Client(settings);
    h.server.SetHandler([](const RecordedRequest& req, httplib::Response& res) {
      if (req.path.ends_with("/status")) {
        HttpsTestServer::Reply(res, 200, Envelope({{"status", "stopped"}, {"exitstatus", req.Header("authorization")}}));
      } else {
        HttpsTestServer::Reply(res, 200, {{"data", Value::array({{{"n", 1}, {"t", req.Header("authorization")}}})}, {"total", 1}});
      }
    });
    collected.Add(insecure->WaitTask("UPID:pve-01:0012ABCD:01A2B3C4:65F0A1B2:qmcreate:100:root@pam:", std::chrono::seconds(5)));
    testing::RefusingPort refusing;
    settings.endpoint = "https://127.0.0.1:" + std::to_string(refusing.port());
    collected.Add(h.Client(settings)->Get("/version"));
    for (auto& line : h.Logs()) logs.push_back(line);
  }
  {  // settings errors built from environment secrets (a `${env:…}` value) and a token with its secret inside
    auto env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "HAINFRA_API_SECRET") return std::string(kEnvSecret);
      if (name == "HAINFRA_API_TOKEN") return std::string("not a token id=") + testing::kTestTokenSecret;
      return std::nullopt;
    };
    collected.Add(ResolveApiSettings(Value{{"endpoint", "https://10.0.0.11:8006"}}, env));
    collected.Add(ResolveApiSettings(Value{{"endpoint", "ftp://x"}, {"secret", kEnvSecret}}, env));
    collected.Add(ResolveApiSettings(Value{{"endpoint", "https://x"}, {"password", 7}}, env));
  }

  ASSERT_GE(collected.texts.size(), 15u);
  ASSERT_FALSE(logs.empty());
  // The canary must be able to fail: the hostile server did put the secrets into the answers.
  bool redacted = false;
  for (const auto& text : collected.texts) redacted |= text.find("[redacted]") != std::string::npos;
  EXPECT_TRUE(redacted) << "no message went through redaction: the canary tests nothing";
  ExpectNoSecret(collected.texts);
  ExpectNoSecret(logs);
}

}  // namespace
}  // namespace hainfra::transport
