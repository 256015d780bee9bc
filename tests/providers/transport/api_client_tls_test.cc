// TLS policy of the API client against a real HTTPS server with a generated CA and server certificate.
#include <gtest/gtest.h>

#include "providers/transport/api_client.h"
#include "tests/testing/api_test_harness.h"
#include "tests/testing/transport_testing.h"

namespace hainfra::transport {
namespace {

using testing::ApiTestHarness;
using testing::Contains;

TEST(ApiClientTls, CorrectPinIsAccepted) {
  ApiTestHarness h;
  auto client = h.Client();  // the harness pins the server certificate
  auto result = client->Get("/version");
  EXPECT_TRUE(result) << result.error().ToString();
  EXPECT_EQ(h.server.RequestCount(), 1u);
}

TEST(ApiClientTls, PinWrittenInLowerCaseWithoutColonsIsAccepted) {
  ApiTestHarness h;
  auto settings = h.Settings();
  std::string loose;
  for (char c : settings.tls_fingerprint) {
    if (c != ':') loose += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  settings.tls_fingerprint = loose;
  auto client = h.Client(settings);
  EXPECT_TRUE(client->Get("/version"));
}

TEST(ApiClientTls, WrongPinIsRefusedBeforeAnyCredentialIsSent) {
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.tls_fingerprint = h.server.certificates().ca_fingerprint;  // a real certificate, not the server's
  auto client = h.Client(settings);
  auto result = client->Get("/version");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kPermissionDenied);
  EXPECT_TRUE(Contains(result.error().message, "does not match the pinned fingerprint")) << result.error().message;
  EXPECT_TRUE(Contains(result.error().message, h.server.certificates().server_fingerprint)) << result.error().message;
  EXPECT_EQ(h.server.RequestCount(), 0u);
  EXPECT_EQ(client->Counters().retries, 0u) << "a TLS refusal is not transient";
}

TEST(ApiClientTls, PinOfTheCaDoesNotStandInForTheServerCertificate) {
  // Pinning hashes the leaf certificate itself; a CA-signed chain does not make another pin valid.
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.tls_fingerprint = h.server.certificates().ca_fingerprint;
  settings.ca_file = h.server.certificates().ca_cert;
  auto client = h.Client(settings);
  auto result = client->Get("/version");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kPermissionDenied);
}

TEST(ApiClientTls, SelfSignedClusterWithoutPinOrCaIsRefusedByDefault) {
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.tls_fingerprint.clear();
  auto client = h.Client(settings);
  auto result = client->Get("/version");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kPermissionDenied);
  EXPECT_TRUE(Contains(result.error().message, "not trusted")) << result.error().message;
  EXPECT_TRUE(Contains(result.error().message, "tls_fingerprint")) << result.error().message;
  EXPECT_EQ(h.server.RequestCount(), 0u);
}

TEST(ApiClientTls, CaFileMakesTheServerTrusted) {
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.tls_fingerprint.clear();
  settings.ca_file = h.server.certificates().ca_cert;
  auto client = h.Client(settings);
  auto result = client->Get("/version");
  EXPECT_TRUE(result) << result.error().ToString();
}

TEST(ApiClientTls, CaFileStillChecksTheHostName) {
  // 127.0.0.2 is loopback too, but the certificate names only 127.0.0.1, ::1 and localhost.
  ApiTestHarness h(/*tls=*/true, "127.0.0.2");
  auto settings = h.Settings();
  settings.tls_fingerprint.clear();
  settings.ca_file = h.server.certificates().ca_cert;
  auto client = h.Client(settings);
  auto result = client->Get("/version");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kPermissionDenied) << result.error().ToString();
  EXPECT_EQ(h.server.RequestCount(), 0u);
}

TEST(ApiClientTls, PinIgnoresTheHostNameBecauseItNamesTheCertificateItself) {
  ApiTestHarness h(/*tls=*/true, "127.0.0.2");
  auto client = h.Client();
  auto result = client->Get("/version");
  EXPECT_TRUE(result) << result.error().ToString();
}

TEST(ApiClientTls, InsecureConnectsAndWarns) {
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.tls_fingerprint.clear();
  settings.insecure = true;
  auto client = h.Client(settings);
  auto result = client->Get("/version");
  EXPECT_TRUE(result) << result.error().ToString();
  auto logs = h.Logs();
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_TRUE(Contains(logs[0], "TLS certificate verification is OFF")) << logs[0];
  EXPECT_TRUE(Contains(logs[0], h.server.endpoint())) << logs[0];
}

TEST(ApiClientTls, InsecureWithAPinStillVerifiesThePin) {
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.insecure = true;
  settings.tls_fingerprint = h.server.certificates().ca_fingerprint;
  auto client = h.Client(settings);
  auto result = client->Get("/version");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kPermissionDenied);
  ASSERT_EQ(h.Logs().size(), 1u);
  EXPECT_TRUE(Contains(h.Logs()[0], "insecure is ignored")) << h.Logs()[0];
}

TEST(ApiClientTls, MalformedPinIsRefusedAtCreate) {
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.tls_fingerprint = "AB:CD";
  auto client = ApiClient::Create(settings);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code, Code::kInvalidArgument);
  EXPECT_TRUE(Contains(client.error().message, "tls_fingerprint")) << client.error().message;
}

}  // namespace
}  // namespace hainfra::transport
