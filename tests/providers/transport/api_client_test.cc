#include "providers/transport/api_client.h"

#include <gtest/gtest.h>

#include "providers/transport/api_path.h"
#include "tests/testing/api_test_harness.h"

namespace hainfra::transport {
namespace {

using testing::ApiTestHarness;
using testing::Envelope;
using testing::HttpsTestServer;
using testing::RecordedRequest;

TEST(ApiClient, GetReturnsTheDataOfTheEnvelope) {
  ApiTestHarness h;
  h.server.SetHandler([](const RecordedRequest&, httplib::Response& res) {
    HttpsTestServer::Reply(res, 200, {{"data", {{"version", "9.1.1"}, {"release", "9.1"}}}, {"total", 1}});
  });
  auto client = h.Client();
  auto version = client->Get("/version");
  ASSERT_TRUE(version) << version.error().ToString();
  EXPECT_EQ((*version)["version"], "9.1.1");
  auto requests = h.server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/api2/json/version");
}

TEST(ApiClient, TokenAuthSendsTheAuthorizationHeaderAndNoCsrf) {
  ApiTestHarness h;
  auto client = h.Client();
  ASSERT_TRUE(client->Get("/nodes"));
  ASSERT_TRUE(client->Post("/nodes/pve-01/qemu", {{"vmid", 100}}));
  for (const RecordedRequest& request : h.server.Requests()) {
    // Compared without printing: a failure message must not show the secret either.
    EXPECT_TRUE(request.Header("authorization") ==
                std::string("PVEAPIToken=") + testing::kTestTokenId + "=" + testing::kTestTokenSecret)
        << request.method << ": the Authorization header is not the token header";
    EXPECT_FALSE(request.HasHeader("csrfpreventiontoken")) << request.method;
    EXPECT_FALSE(request.HasHeader("cookie")) << request.method;
  }
}

TEST(ApiClient, GetAndDeleteSendParametersInTheQuery) {
  ApiTestHarness h;
  auto client = h.Client();
  ASSERT_TRUE(client->Get("/cluster/resources", {{"type", "vm"}}));
  ASSERT_TRUE(client->Delete("/nodes/pve-01/qemu/100", {{"purge", true}, {"destroy-unreferenced-disks", false}}));
  auto requests = h.server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/api2/json/cluster/resources?type=vm");
  EXPECT_EQ(requests[1].method, "DELETE");
  EXPECT_EQ(requests[1].form.at("purge"), "1");
  EXPECT_EQ(requests[1].form.at("destroy-unreferenced-disks"), "0");
  EXPECT_TRUE(requests[1].body.empty());
}

TEST(ApiClient, PostAndPutSendAFormBodyWithBooleansAsZeroOrOne) {
  ApiTestHarness h;
  auto client = h.Client();
  ASSERT_TRUE(client->Post("/nodes/pve-01/qemu",
                           {{"vmid", 100}, {"name", "hpc worker+1"}, {"onboot", true}, {"net0", "virtio,bridge=vmbr0"}}));
  ASSERT_TRUE(client->Put("/nodes/pve-01/qemu/100/config", {{"delete", "ide2"}, {"agent", false}}));
  auto requests = h.server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].Header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(requests[0].form.at("vmid"), "100");
  EXPECT_EQ(requests[0].form.at("name"), "hpc worker+1");
  EXPECT_EQ(requests[0].form.at("onboot"), "1");
  EXPECT_EQ(requests[0].form.at("net0"), "virtio,bridge=vmbr0");
  EXPECT_EQ(requests[0].target, "/api2/json/nodes/pve-01/qemu");
  EXPECT_EQ(requests[1].method, "PUT");
  EXPECT_EQ(requests[1].form.at("agent"), "0");
}

TEST(ApiClient, PathSegmentsFromSpecValuesArriveEncodedAndUpidColonsStayLiteral) {
  ApiTestHarness h;
  auto client = h.Client();
  ASSERT_TRUE(client->Get(ApiPath({"nodes", "pve 01/../x", "storage"})));
  ASSERT_TRUE(client->Get(ApiPath({"nodes", "pve-01", "tasks", "UPID:pve-01:00001A2B:0022C3D4:65A1B2C3:qmstart:100:root@pam:", "status"})));
  auto requests = h.server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/api2/json/nodes/pve%2001%2F..%2Fx/storage");
  EXPECT_EQ(requests[0].path, "/api2/json/nodes/pve 01/../x/storage");
  EXPECT_EQ(requests[1].target,
            "/api2/json/nodes/pve-01/tasks/UPID:pve-01:00001A2B:0022C3D4:65A1B2C3:qmstart:100:root@pam:/status");
}

TEST(ApiClient, EnvelopeKeepsTotalForTheCallsThatNeedIt) {
  ApiTestHarness h;
  h.server.SetHandler([](const RecordedRequest&, httplib::Response& res) {
    HttpsTestServer::Reply(res, 200, {{"data", Value::array({{{"n", 1}, {"t", "a"}}})}, {"total", 40}});
  });
  auto client = h.Client();
  Request request;
  request.path = "/nodes/pve-01/tasks/x/log";
  auto envelope = client->SendForEnvelope(request);
  ASSERT_TRUE(envelope) << envelope.error().ToString();
  EXPECT_EQ((*envelope)["total"], 40);
  EXPECT_EQ((*envelope)["data"][0]["t"], "a");
}

TEST(ApiClient, NestedObjectParameterIsRefusedBeforeAnyRequest) {
  ApiTestHarness h;
  auto client = h.Client();
  auto result = client->Post("/nodes/pve-01/qemu", {{"net0", {{"bridge", "vmbr0"}}}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_NE(result.error().message.find("net0"), std::string::npos) << result.error().message;
  EXPECT_EQ(h.server.RequestCount(), 0u);
}

TEST(ApiClient, NonJsonAnswerIsAnInternalError) {
  ApiTestHarness h;
  h.server.SetHandler([](const RecordedRequest&, httplib::Response& res) { res.set_content("<html>", "text/html"); });
  auto client = h.Client();
  auto result = client->Get("/version");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kInternal);
  EXPECT_NE(result.error().message.find("GET /version"), std::string::npos);
}

TEST(ApiClient, AnswerLargerThanTheLimitIsRefused) {
  ApiTestHarness h;
  h.server.SetHandler([](const RecordedRequest&, httplib::Response& res) {
    HttpsTestServer::Reply(res, 200, Envelope(std::string(64 * 1024, 'x')));
  });
  auto settings = h.Settings();
  settings.max_response_bytes = 4096;
  auto client = h.Client(settings);
  auto result = client->Get("/cluster/resources");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kInternal);
  EXPECT_NE(result.error().message.find("larger than"), std::string::npos) << result.error().message;
}

TEST(ApiClient, RequestTimeoutGivesUnavailable) {
  ApiTestHarness h;
  h.server.SetHandler([](const RecordedRequest& req, httplib::Response& res) {
    if (req.path.ends_with("/slow")) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    HttpsTestServer::Reply(res, 200, Envelope(nullptr));
  });
  auto settings = h.Settings();
  settings.retry.max_attempts = 1;
  auto client = h.Client(settings);
  ASSERT_TRUE(client->Get("/version"));  // the connection is up: the timeout below hits the request itself
  Request request;
  request.path = "/slow";
  request.timeout = std::chrono::milliseconds(300);
  auto result = client->Send(request);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable);
  EXPECT_NE(result.error().message.find("no answer before the request timeout"), std::string::npos)
      << result.error().message;
}

TEST(ApiClient, CountersSeeRequestsBytesAndLatency) {
  ApiTestHarness h;
  auto client = h.Client();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->Get("/nodes"));
  ApiCounters counters = client->Counters();
  EXPECT_EQ(counters.requests, 5u);
  EXPECT_EQ(counters.retries, 0u);
  EXPECT_EQ(counters.failures, 0u);
  EXPECT_GT(counters.bytes_sent, 5u * 50);
  EXPECT_GT(counters.bytes_received, 5u * 20);
  EXPECT_GT(counters.latency_sum_us, 0u);
  EXPECT_GE(counters.latency_sum_us, counters.latency_max_us);
  uint64_t in_histogram = 0;
  for (uint64_t bucket : counters.latency_histogram) in_histogram += bucket;
  EXPECT_EQ(in_histogram, 5u);
  EXPECT_NE(counters.Summary().find("requests=5"), std::string::npos);
}

TEST(ApiClient, CreateRefusesSettingsWithoutCredentials) {
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.token_id.clear();
  settings.token_secret = Secret();
  auto client = ApiClient::Create(settings);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, Code::kInvalidArgument);
  EXPECT_NE(client.error().message.find("credentials"), std::string::npos);
}

TEST(ApiClient, TicketCallWithoutPasswordIsRefusedClearly) {
  ApiTestHarness h;
  auto client = h.Client();
  Request join;
  join.method = Method::kPost;
  join.path = "/cluster/config/join";
  join.auth = Auth::kTicket;
  auto result = client->Send(join);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kInvalidArgument);
  EXPECT_NE(result.error().message.find("HAINFRA_API_PASSWORD"), std::string::npos);
  EXPECT_EQ(h.server.RequestCount(), 0u);
}

}  // namespace
}  // namespace hainfra::transport
