// The enforce webhook against a loopback HTTP receiver: the bodies, the headers, and no secret of the URL
// or of a header in any message.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/enforce_command.h"
#include "tests/testing/https_test_server.h"
#include "tests/testing/subprocess.h"

namespace hainfra::cli {
namespace {

using testing::HttpsTestServer;

report::RunReport DriftedRun() {
  report::RunReport r;
  r.run_id = "run-1";
  r.cluster = "lab";
  r.started = 1700000000;
  r.runner.host = "runner-1";
  r.outcome = report::Outcome::kDrift;
  r.drifted = {{{"vm", "100"}, Action::kUpdate, "cores differs", {"cores"}}};
  r.withheld = {{{"vm", "100"}, Action::kUpdate, "warn mode"}};
  return r;
}

class EnforceWebhookTest : public ::testing::Test {
 protected:
  EnforceOptions Options(const std::string& base) const {
    EnforceOptions o;
    o.webhook_url = base + "/hooks/T0SECRETPATH?token=querysecret1";
    o.webhook_headers = {"Authorization: Bearer hunter2hunter2", "X-Team: ops"};
    return o;
  }
  static void ExpectNoSecret(const std::string& text) {
    for (const char* secret : {"T0SECRETPATH", "querysecret1", "hunter2hunter2"}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in: " << text;
    }
  }
  HttpsTestServer server_{false};
};

TEST_F(EnforceWebhookTest, DriftPostsTheGenericJsonBodyWithTheHeaders) {
  std::ostringstream err;
  EXPECT_TRUE(PublishReport(DriftedRun(), Options(server_.endpoint()), err));
  EXPECT_EQ(err.str(), "");
  const auto requests = server_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/hooks/T0SECRETPATH");
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer hunter2hunter2");
  EXPECT_EQ(requests[0].Header("x-team"), "ops");
  EXPECT_EQ(requests[0].Header("content-type"), "application/json");
  const Value body = Value::parse(requests[0].body);
  EXPECT_EQ(body["events"], Value({"drift"}));
  EXPECT_EQ(body["summary"]["cluster"], "lab");
  EXPECT_EQ(body["summary"]["withheld"][0]["reason"], "warn mode");
}

TEST_F(EnforceWebhookTest, AlertmanagerFormatPostsAnAlertsArray) {
  EnforceOptions options = Options(server_.endpoint());
  options.webhook_format = WebhookFormat::kAlertmanager;
  std::ostringstream err;
  EXPECT_TRUE(PublishReport(DriftedRun(), options, err));
  ASSERT_EQ(server_.RequestCount(), 1u);
  const Value body = Value::parse(server_.Requests()[0].body);
  ASSERT_TRUE(body.is_array());
  EXPECT_EQ(body[0]["labels"]["alertname"], "HainfraDriftDetected");
  EXPECT_EQ(body[0]["endsAt"], "2023-11-14T23:13:20Z");
}

TEST_F(EnforceWebhookTest, ACleanRunPostsNothing) {
  report::RunReport clean;
  std::ostringstream err;
  EXPECT_TRUE(PublishReport(clean, Options(server_.endpoint()), err));
  EXPECT_EQ(server_.RequestCount(), 0u);
}

TEST_F(EnforceWebhookTest, ARefusingReceiverIsAWarningWithoutSecrets) {
  server_.SetHandler([](const testing::RecordedRequest&, httplib::Response& response) { response.status = 500; });
  std::ostringstream err;
  EXPECT_TRUE(PublishReport(DriftedRun(), Options(server_.endpoint()), err)) << "a webhook never fails the run";
  EXPECT_NE(err.str().find("warning: webhook " + server_.endpoint() + "/…: HTTP 500"), std::string::npos) << err.str();
  ExpectNoSecret(err.str());
}

TEST_F(EnforceWebhookTest, AnUnreachableReceiverIsAWarningWithoutSecrets) {
  std::ostringstream err;
  const std::string base = "http://user:passw0rdsecret@127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
  EXPECT_TRUE(PublishReport(DriftedRun(), Options(base), err));
  EXPECT_NE(err.str().find("warning: webhook http://127.0.0.1:"), std::string::npos) << err.str();
  ExpectNoSecret(err.str());
  EXPECT_EQ(err.str().find("passw0rdsecret"), std::string::npos) << err.str();
}

TEST_F(EnforceWebhookTest, AHeaderWithoutANameIsRefusedBeforeAnyRun) {
  EnforceOptions options = Options(server_.endpoint());
  options.webhook_headers = {"hunter2hunter2"};
  std::istringstream in;
  std::ostringstream out, err;
  Console console{in, out, err, false, false, false};
  EXPECT_EQ(RunEnforce(options, console), kExitError);
  EXPECT_NE(err.str().find("--webhook-header"), std::string::npos) << err.str();
  ExpectNoSecret(err.str());
}

}  // namespace
}  // namespace hainfra::cli
