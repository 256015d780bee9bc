// Retries of the API client: which failures are repeated, how often, with which delays.
#include <gtest/gtest.h>

#include <atomic>

#include "providers/transport/api_client.h"
#include "providers/transport/api_error.h"
#include "tests/testing/api_test_harness.h"
#include "tests/testing/tcp_test_servers.h"

namespace hainfra::transport {
namespace {

using testing::ApiTestHarness;
using testing::Envelope;
using testing::HttpsTestServer;
using testing::RecordedRequest;

constexpr char kLockTimeout[] = "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout";

// Fails the first `failures` requests with `status`/`message`, then answers {"data": "ok"}.
void FailFirst(ApiTestHarness& h, int failures, int status, const std::string& message) {
  auto count = std::make_shared<std::atomic<int>>(0);
  h.server.SetHandler([=](const RecordedRequest&, httplib::Response& res) {
    if ((*count)++ < failures) {
      HttpsTestServer::Reply(res, status, {{"data", nullptr}, {"message", message}}, message);
    } else {
      HttpsTestServer::Reply(res, 200, Envelope("ok"));
    }
  });
}

// Answers the first request 503 (the try whose outcome is unknown), every later one with `status`/`body`.
void UnavailableThen(ApiTestHarness& h, int status, const nlohmann::json& body, const std::string& reason) {
  auto count = std::make_shared<std::atomic<int>>(0);
  h.server.SetHandler([=](const RecordedRequest&, httplib::Response& res) {
    if ((*count)++ == 0) {
      HttpsTestServer::Reply(res, 503, {{"data", nullptr}, {"message", "service unavailable"}}, "service unavailable");
    } else {
      HttpsTestServer::Reply(res, status, body, reason);
    }
  });
}

TEST(ApiClientRetry, ServiceUnavailableIsRetriedUntilItSucceeds) {
  ApiTestHarness h;
  FailFirst(h, 2, 503, "service unavailable");
  auto client = h.Client();
  auto result = client->Get("/cluster/resources");
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(*result, "ok");
  EXPECT_EQ(h.server.RequestCount(), 3u);
  EXPECT_EQ(client->Counters().retries, 2u);
  // Equal jitter with random = 0.5: 100 ms -> 75 ms, then 200 ms -> 150 ms.
  auto sleeps = h.Sleeps();
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_EQ(sleeps[0].count(), 75);
  EXPECT_EQ(sleeps[1].count(), 150);
  ASSERT_EQ(h.Logs().size(), 2u);
  EXPECT_NE(h.Logs()[0].find("retry 1 of 3"), std::string::npos) << h.Logs()[0];
}

TEST(ApiClientRetry, RetriesStopAfterTheLimit) {
  ApiTestHarness h;
  FailFirst(h, 100, 503, "service unavailable");
  auto client = h.Client();  // max_attempts = 4
  auto result = client->Get("/cluster/resources");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable);
  EXPECT_EQ(h.server.RequestCount(), 4u);
  EXPECT_EQ(client->Counters().retries, 3u);
  EXPECT_EQ(client->Counters().failures, 1u);
}

TEST(ApiClientRetry, ProxyErrorsOfOtherNodesAreRetried) {
  for (int status : {595, 596, 599}) {
    ApiTestHarness h;
    FailFirst(h, 1, status, "Connection timed out");
    auto client = h.Client();
    auto result = client->Get("/nodes/pve-02/status");
    EXPECT_TRUE(result) << status << ": " << result.error().ToString();
    EXPECT_EQ(h.server.RequestCount(), 2u) << status;
  }
}

TEST(ApiClientRetry, TooManyRequestsIsRetriedEvenForPostNothingWasDone) {
  ApiTestHarness h;
  FailFirst(h, 2, 429, "Too Many Requests");
  auto client = h.Client();
  auto result = client->Post("/storage", Value{{"storage", "x"}});
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(h.server.RequestCount(), 3u);
}

// A DELETE whose first answer failed server-side after it may have run: "does not exist" on the repeat is
// no refusal but an unknown outcome, left for the executor's retry to look at.
TEST(ApiClientRetry, DoesNotExistAfterAFailedTryIsAnUnknownOutcomeNotARefusal) {
  ApiTestHarness h;
  UnavailableThen(h, 500, {{"data", nullptr}, {"message", "storage 'x' does not exist\n"}}, "storage 'x' does not exist");
  auto client = h.Client();
  auto result = client->Delete("/storage/x");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable) << result.error().ToString();
  EXPECT_TRUE(AfterLostAnswer(result.error())) << result.error().ToString();
  EXPECT_EQ(h.server.RequestCount(), 2u);  // not sent a third time
}

TEST(ApiClientRetry, AParameterErrorSayingDoesNotExistAfterAFailedTryIsAnUnknownOutcomeToo) {
  // What Proxmox answers a repeated DELETE of a network interface: HTTP 400, not 404.
  ApiTestHarness h;
  UnavailableThen(h, 400,
                  {{"data", nullptr},
                   {"message", "Parameter verification failed.\n"},
                   {"errors", {{"iface", "interface does not exist\n"}}}},
                  "Parameter verification failed.");
  auto client = h.Client();
  auto result = client->Delete("/nodes/pve-01/network/vmbr9");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable) << result.error().ToString();
  EXPECT_TRUE(AfterLostAnswer(result.error())) << result.error().ToString();
  EXPECT_EQ(h.server.RequestCount(), 2u);
}

TEST(ApiClientRetry, DoesNotExistOnAFirstTryStaysNotFound) {
  ApiTestHarness h;
  FailFirst(h, 1, 500, "storage 'x' does not exist");
  auto client = h.Client();
  auto result = client->Delete("/storage/x");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kNotFound) << result.error().ToString();
  EXPECT_FALSE(AfterLostAnswer(result.error()));
}

TEST(ApiClientRetry, LockTimeoutIsRetriedEvenForPost) {
  ApiTestHarness h;
  FailFirst(h, 2, 500, kLockTimeout);
  auto client = h.Client();
  auto result = client->Post("/nodes/pve-01/qemu/100/status/start");
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(h.server.RequestCount(), 3u);
}

TEST(ApiClientRetry, LockTimeoutRetriesStopAfterTheLimit) {
  ApiTestHarness h;
  FailFirst(h, 100, 500, kLockTimeout);
  auto client = h.Client();
  auto result = client->Put("/nodes/pve-01/qemu/100/config", {{"memory", 4096}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable);
  EXPECT_NE(result.error().message.find("can't lock file"), std::string::npos);
  EXPECT_EQ(h.server.RequestCount(), 4u);
}

TEST(ApiClientRetry, ServerErrorOnACreateIsNeverRepeated) {
  ApiTestHarness h;
  FailFirst(h, 1, 503, "service unavailable");
  auto client = h.Client();
  auto result = client->Post("/nodes/pve-01/qemu", {{"vmid", 100}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable);
  EXPECT_EQ(h.server.RequestCount(), 1u);
  EXPECT_TRUE(h.Sleeps().empty());
}

TEST(ApiClientRetry, PostDeclaredIdempotentIsRetried) {
  ApiTestHarness h;
  FailFirst(h, 1, 503, "service unavailable");
  auto client = h.Client();
  Request request;
  request.method = Method::kPost;
  request.path = "/nodes/pve-01/apt/update";
  request.idempotent = true;
  EXPECT_TRUE(client->Send(request));
  EXPECT_EQ(h.server.RequestCount(), 2u);
}

TEST(ApiClientRetry, ClientErrorsAreNotRetried) {
  for (int status : {400, 401, 403, 404}) {
    ApiTestHarness h;
    FailFirst(h, 1, status, "no");
    auto client = h.Client();
    EXPECT_FALSE(client->Get("/nodes")) << status;
    EXPECT_EQ(h.server.RequestCount(), 1u) << status;
  }
}

TEST(ApiClientRetry, RefusedConnectionIsRetriedEvenForACreate) {
  // Nothing was sent, so repeating a POST cannot create anything twice.
  testing::RefusingPort port;
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.endpoint = "https://127.0.0.1:" + std::to_string(port.port());
  auto client = h.Client(settings);
  auto result = client->Post("/nodes/pve-01/qemu", {{"vmid", 100}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable);
  EXPECT_NE(result.error().message.find("cannot connect"), std::string::npos) << result.error().message;
  EXPECT_EQ(client->Counters().retries, 3u);
}

TEST(ApiClientRetry, ConnectionLostAfterSendingRepeatsAGetButNotAPost) {
  testing::ClosingTcpServer server;
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.endpoint = server.endpoint();
  settings.tls_fingerprint.clear();
  auto client = h.Client(settings);

  auto get = client->Get("/cluster/resources");
  ASSERT_FALSE(get);
  EXPECT_EQ(get.error().code, Code::kUnavailable);
  EXPECT_NE(get.error().message.find("connection was lost"), std::string::npos) << get.error().message;
  EXPECT_EQ(server.RequestsReceived(), 4);

  auto post = client->Post("/nodes/pve-01/qemu", {{"vmid", 100}});
  ASSERT_FALSE(post);
  EXPECT_EQ(post.error().code, Code::kUnavailable);
  EXPECT_EQ(server.RequestsReceived(), 5) << "the POST may have run: it must not be sent twice";
}

}  // namespace
}  // namespace hainfra::transport
