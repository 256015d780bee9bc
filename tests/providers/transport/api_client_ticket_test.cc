// root@pam ticket auth: login, cookie and CSRF header, renewal before expiry, re-login on 401.
#include <gtest/gtest.h>

#include <atomic>

#include "providers/transport/api_client.h"
#include "tests/testing/api_test_harness.h"

namespace hainfra::transport {
namespace {

using testing::ApiTestHarness;
using testing::Envelope;
using testing::HttpsTestServer;
using testing::RecordedRequest;

// A server that issues tickets "PVE:root@pam:N::sig/+=" with CSRF token "csrfN" and accepts only the
// latest one (or any issued one unless `only_latest`).
struct TicketServer {
  explicit TicketServer(ApiTestHarness& h) {
    h.server.SetHandler([this](const RecordedRequest& req, httplib::Response& res) {
      if (req.path == "/api2/json/access/ticket") {
        if (req.form.count("password") == 0 || req.form.at("password") != testing::kTestPassword) {
          HttpsTestServer::Reply(res, 401, {{"data", nullptr}}, "authentication failure");
          return;
        }
        int n = ++issued;
        HttpsTestServer::Reply(res, 200, Envelope({{"ticket", "PVE:root@pam:" + std::to_string(n) + "::sig/+="},
                                                   {"CSRFPreventionToken", "csrf" + std::to_string(n)},
                                                   {"username", req.form.at("username")}}));
        return;
      }
      // The client sends the ticket percent-encoded, as pveproxy's own cookie does (it unescapes values
      // starting with PVE%3A); cpp-httplib decodes header values, so the raw ticket is what arrives here.
      std::string expected = "PVEAuthCookie=PVE:root@pam:" + std::to_string(issued.load()) + "::sig/+=";
      if (req.Header("cookie") != expected || revoked) {
        revoked = false;
        HttpsTestServer::Reply(res, 401, {{"data", nullptr}}, "invalid ticket");
        return;
      }
      HttpsTestServer::Reply(res, 200, Envelope("ok"));
    });
  }
  std::atomic<int> issued{0};
  std::atomic<bool> revoked{false};
};

ApiSettings PasswordOnly(const ApiTestHarness& h) {
  ApiSettings settings = h.Settings();
  settings.token_id.clear();
  settings.token_secret = Secret();
  settings.password = Secret(testing::kTestPassword);
  return settings;
}

TEST(ApiClientTicket, LogsInOnceAndSendsTheCookie) {
  ApiTestHarness h;
  TicketServer tickets(h);
  auto client = h.Client(PasswordOnly(h));
  for (int i = 0; i < 3; ++i) {
    auto result = client->Get("/cluster/status");
    ASSERT_TRUE(result) << result.error().ToString();
  }
  auto requests = h.server.Requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/api2/json/access/ticket");
  EXPECT_EQ(requests[0].form.at("username"), "root@pam");
  EXPECT_FALSE(requests[0].HasHeader("authorization"));
  EXPECT_EQ(client->Counters().logins, 1u);
}

TEST(ApiClientTicket, CsrfHeaderOnNonGetOnlyAndNeverWithAToken) {
  ApiTestHarness h;
  TicketServer tickets(h);
  auto client = h.Client(PasswordOnly(h));
  ASSERT_TRUE(client->Get("/cluster/status"));
  ASSERT_TRUE(client->Post("/cluster/config/join", {{"hostname", "10.0.0.11"}}));
  ASSERT_TRUE(client->Put("/cluster/options", {{"keyboard", "en-us"}}));
  ASSERT_TRUE(client->Delete("/cluster/ha/resources/vm:100"));
  auto requests = h.server.Requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_FALSE(requests[1].HasHeader("csrfpreventiontoken")) << "GET";
  for (size_t i = 2; i < 5; ++i) EXPECT_EQ(requests[i].Header("csrfpreventiontoken"), "csrf1") << requests[i].method;
}

TEST(ApiClientTicket, TicketCallUsesTheTicketWhileOthersUseTheToken) {
  ApiTestHarness h;
  TicketServer tickets(h);
  auto settings = h.Settings();
  settings.password = Secret(testing::kTestPassword);
  auto client = h.Client(settings);
  Request join;
  join.method = Method::kPost;
  join.path = "/cluster/config/join";
  join.auth = Auth::kTicket;
  ASSERT_TRUE(client->Send(join));
  auto requests = h.server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].Header("csrfpreventiontoken"), "csrf1");
  EXPECT_FALSE(requests[1].HasHeader("authorization"));
  // A plain call with the token configured sends the token, no cookie, no CSRF header (the server refuses
  // it here: it only knows tickets, which is fine for this check).
  (void)client->Post("/nodes/pve-01/qemu", {{"vmid", 1}});
  requests = h.server.Requests();
  EXPECT_TRUE(requests.back().HasHeader("authorization"));
  EXPECT_FALSE(requests.back().HasHeader("cookie"));
  EXPECT_FALSE(requests.back().HasHeader("csrfpreventiontoken"));
}

TEST(ApiClientTicket, TicketIsRenewedBeforeTheTwoHourExpiry) {
  ApiTestHarness h;
  TicketServer tickets(h);
  auto client = h.Client(PasswordOnly(h));
  ASSERT_TRUE(client->Get("/cluster/status"));
  h.Advance(std::chrono::minutes(60));
  ASSERT_TRUE(client->Get("/cluster/status"));
  EXPECT_EQ(client->Counters().logins, 1u) << "an hour-old ticket is still good";
  h.Advance(std::chrono::minutes(31));
  ASSERT_TRUE(client->Get("/cluster/status"));
  EXPECT_EQ(client->Counters().logins, 2u) << "a 91-minute-old ticket is renewed before it expires";
  EXPECT_EQ(tickets.issued.load(), 2);
}

TEST(ApiClientTicket, RejectedTicketLeadsToOneReloginAndTheRequestIsRepeated) {
  ApiTestHarness h;
  TicketServer tickets(h);
  auto client = h.Client(PasswordOnly(h));
  ASSERT_TRUE(client->Get("/cluster/status"));
  tickets.revoked = true;  // the next request with the current ticket gets 401
  auto result = client->Post("/cluster/config/join", {{"hostname", "10.0.0.11"}});
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(client->Counters().logins, 2u);
  EXPECT_EQ(client->Counters().retries, 0u);
}

TEST(ApiClientTicket, WrongPasswordIsPermissionDenied) {
  ApiTestHarness h;
  TicketServer tickets(h);
  auto settings = PasswordOnly(h);
  settings.password = Secret("wrong password");
  auto client = h.Client(settings);
  auto result = client->Get("/cluster/status");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kPermissionDenied);
  EXPECT_NE(result.error().message.find("login as root@pam"), std::string::npos) << result.error().message;
  EXPECT_EQ(h.server.RequestCount(), 1u) << "no request is sent without a ticket";
}

TEST(ApiClientTicket, ConcurrentFirstCallsShareOneLogin) {
  ApiTestHarness h;
  TicketServer tickets(h);
  auto client = h.Client(PasswordOnly(h));
  std::vector<std::thread> workers;
  std::atomic<int> ok{0};
  for (int t = 0; t < 6; ++t) {
    workers.emplace_back([&] {
      if (client->Get("/cluster/status")) ++ok;
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(tickets.issued.load(), 1);
}

}  // namespace
}  // namespace hainfra::transport
