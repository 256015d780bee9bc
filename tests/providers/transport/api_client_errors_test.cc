// Proxmox's error answers, as a real HTTPS server sends them, become distinct hainfra errors.
#include <gtest/gtest.h>

#include "providers/transport/api_client.h"
#include "tests/testing/api_test_harness.h"
#include "tests/testing/tcp_test_servers.h"
#include "tests/testing/transport_testing.h"

namespace hainfra::transport {
namespace {

using testing::ApiTestHarness;
using testing::Contains;
using testing::HttpsTestServer;
using testing::RecordedRequest;

// Answers every request with `status`, Proxmox's message in the reason phrase and in the body.
Error FailWith(int status, const std::string& message, const Value& errors = nullptr) {
  ApiTestHarness h;
  h.server.SetHandler([&](const RecordedRequest&, httplib::Response& res) {
    Value body = {{"data", nullptr}, {"message", message + "\n"}};
    if (!errors.is_null()) body["errors"] = errors;
    HttpsTestServer::Reply(res, status, body, message);
  });
  auto settings = h.Settings();
  settings.retry.max_attempts = 1;
  auto client = h.Client(settings);
  auto result = client->Put("/nodes/pve-01/qemu/100/config", {{"memory", 8}});
  EXPECT_FALSE(result);
  return result ? Error{} : result.error();
}

TEST(ApiClientErrors, BadRequestCarriesEveryParameterError) {
  Error e = FailWith(400, "Parameter verification failed.",
                     {{"memory", "value must have a minimum value of 16"}, {"net0", "invalid format - missing bridge"}});
  EXPECT_EQ(e.code, Code::kInvalidArgument);
  EXPECT_TRUE(Contains(e.message, "PUT /nodes/pve-01/qemu/100/config")) << e.message;
  EXPECT_TRUE(Contains(e.message, "HTTP 400")) << e.message;
  EXPECT_TRUE(Contains(e.message, "Parameter verification failed.")) << e.message;
  EXPECT_TRUE(Contains(e.message, "memory: value must have a minimum value of 16")) << e.message;
  EXPECT_TRUE(Contains(e.message, "net0: invalid format - missing bridge")) << e.message;
}

TEST(ApiClientErrors, UnauthorizedIsPermissionDeniedAboutAuthentication) {
  Error e = FailWith(401, "authentication failure");
  EXPECT_EQ(e.code, Code::kPermissionDenied);
  EXPECT_TRUE(Contains(e.message, "HTTP 401")) << e.message;
  EXPECT_TRUE(Contains(e.message, "authentication failed")) << e.message;
}

TEST(ApiClientErrors, ForbiddenIsPermissionDeniedAboutPrivileges) {
  Error e = FailWith(403, "Permission check failed (/vms/100, VM.Config.Memory)");
  EXPECT_EQ(e.code, Code::kPermissionDenied);
  EXPECT_TRUE(Contains(e.message, "HTTP 403")) << e.message;
  EXPECT_TRUE(Contains(e.message, "lack a privilege")) << e.message;
  EXPECT_TRUE(Contains(e.message, "VM.Config.Memory")) << e.message;
  EXPECT_NE(e.message, FailWith(401, "Permission check failed (/vms/100, VM.Config.Memory)").message);
}

TEST(ApiClientErrors, NotFoundIsNotFound) {
  Error e = FailWith(404, "no such resource");
  EXPECT_EQ(e.code, Code::kNotFound);
}

TEST(ApiClientErrors, ServerErrorCarriesProxmoxMessage) {
  Error e = FailWith(500, "VM 100 qmp command 'set_password' failed - unable to connect");
  EXPECT_EQ(e.code, Code::kUnavailable);
  EXPECT_TRUE(Contains(e.message, "HTTP 500")) << e.message;
  EXPECT_TRUE(Contains(e.message, "qmp command 'set_password' failed")) << e.message;
}

TEST(ApiClientErrors, AlreadyExistsIsRecognised) {
  Error e = FailWith(500, "unable to create VM 100 - VM 100 already exists on node 'pve-02'");
  EXPECT_EQ(e.code, Code::kAlreadyExists);
}

TEST(ApiClientErrors, MissingConfigurationIsNotFound) {
  Error e = FailWith(500, "Configuration file 'nodes/pve-01/qemu-server/100.conf' does not exist");
  EXPECT_EQ(e.code, Code::kNotFound);
}

TEST(ApiClientErrors, ReasonPhraseIsUsedWhenTheBodyHasNoMessage) {
  // Older Proxmox versions put the message only into the status line, as this hand-made answer does.
  testing::ClosingTcpServer server(
      "HTTP/1.1 500 can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout\r\n"
      "Content-Type: application/json;charset=UTF-8\r\nContent-Length: 13\r\nConnection: close\r\n\r\n"
      "{\"data\":null}");
  ApiTestHarness h;
  auto settings = h.Settings();
  settings.endpoint = server.endpoint();
  settings.retry.max_attempts = 1;
  auto client = h.Client(settings);
  auto result = client->Get("/nodes/pve-01/qemu/100/config");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Code::kUnavailable);
  EXPECT_TRUE(Contains(result.error().message, "can't lock file")) << result.error().message;
}

TEST(ApiClientErrors, UnknownEndpointIsNotFound) {
  Error e = FailWith(501, "Method 'PUT /nodes/pve-01/qemu/100/config' not implemented");
  EXPECT_EQ(e.code, Code::kNotFound);
  EXPECT_TRUE(Contains(e.message, "no such endpoint")) << e.message;
}

}  // namespace
}  // namespace hainfra::transport
