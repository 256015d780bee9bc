#include "providers/transport/api_error.h"
#include "providers/transport/retry_policy.h"

#include <gtest/gtest.h>

namespace hainfra::transport {
namespace {

HttpOutcome Answer(long status, const std::string& reason, const std::string& body = "{\"data\":null}") {
  HttpOutcome outcome;
  outcome.method = "POST";
  outcome.path = "/nodes/pve-01/qemu";
  outcome.status = status;
  outcome.reason = reason;
  outcome.body = body;
  return outcome;
}

HttpOutcome Broken(TransportFailure failure) {
  HttpOutcome outcome;
  outcome.method = "GET";
  outcome.path = "/version";
  outcome.transport = failure;
  outcome.transport_detail = "curl says why";
  return outcome;
}

TEST(ApiError, StatusCodesMapToDistinctCodes) {
  EXPECT_EQ(MapFailure(Answer(400, "Parameter verification failed.")).error.code, Code::kInvalidArgument);
  EXPECT_EQ(MapFailure(Answer(401, "authentication failure")).error.code, Code::kPermissionDenied);
  EXPECT_EQ(MapFailure(Answer(403, "Permission check failed")).error.code, Code::kPermissionDenied);
  EXPECT_EQ(MapFailure(Answer(404, "Not Found")).error.code, Code::kNotFound);
  EXPECT_EQ(MapFailure(Answer(501, "Method 'GET /x' not implemented")).error.code, Code::kNotFound);
  EXPECT_EQ(MapFailure(Answer(500, "VM 100 already exists")).error.code, Code::kAlreadyExists);
  EXPECT_EQ(MapFailure(Answer(500, "storage 'x' does not exist")).error.code, Code::kNotFound);
  EXPECT_EQ(MapFailure(Answer(500, "got unexpected error")).error.code, Code::kUnavailable);
  EXPECT_EQ(MapFailure(Answer(503, "")).error.code, Code::kUnavailable);
  EXPECT_EQ(MapFailure(Answer(596, "Broken pipe")).error.code, Code::kUnavailable);
  EXPECT_EQ(MapFailure(Answer(409, "conflict")).error.code, Code::kInvalidArgument);
}

TEST(ApiError, AComponentTheNodeLacksIsNoTransientFailureAndIsNotRetried) {
  // What Proxmox answers for Ceph's endpoints on a node without Ceph: retrying cannot install it.
  auto mapped = MapFailure(Answer(500, "binary not installed: /usr/bin/ceph-mon"));
  EXPECT_EQ(mapped.error.code, Code::kFailedPrecondition);
  EXPECT_FALSE(ShouldRetry(/*idempotent=*/true, mapped.facts));
  EXPECT_EQ(MapFailure(Answer(500, "ceph not initialized")).error.code, Code::kFailedPrecondition);
  EXPECT_TRUE(ShouldRetry(/*idempotent=*/true, MapFailure(Answer(500, "got unexpected error")).facts));
}

TEST(ApiError, AuthenticationAndAuthorizationReadDifferently) {
  std::string unauthorized = MapFailure(Answer(401, "no ticket")).error.message;
  std::string forbidden = MapFailure(Answer(403, "no ticket")).error.message;
  EXPECT_NE(unauthorized.find("authentication failed"), std::string::npos) << unauthorized;
  EXPECT_NE(forbidden.find("permission denied"), std::string::npos) << forbidden;
}

TEST(ApiError, MessageNamesMethodPathStatusAndProxmoxText) {
  auto mapped = MapFailure(Answer(500, "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout"));
  EXPECT_EQ(mapped.error.message,
            "POST /nodes/pve-01/qemu: HTTP 500: can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout");
  EXPECT_TRUE(mapped.facts.lock_timeout);
  EXPECT_EQ(mapped.facts.code, Code::kUnavailable);
}

TEST(ApiError, BodyMessageAndParameterErrorsWinOverTheReasonPhrase) {
  auto mapped = MapFailure(Answer(400, "Parameter verification failed.",
                                  R"({"data":null,"message":"Parameter verification failed.\n",)"
                                  R"("errors":{"vmid":"invalid format","cores":"value must have a minimum value of 1"}})"));
  EXPECT_EQ(mapped.error.message,
            "POST /nodes/pve-01/qemu: HTTP 400: Parameter verification failed.: cores: value must have a minimum "
            "value of 1; vmid: invalid format");
}

TEST(ApiError, TransportFailuresMapByWhetherTheRequestLeft) {
  auto connect = MapFailure(Broken(TransportFailure::kConnect));
  EXPECT_EQ(connect.error.code, Code::kUnavailable);
  EXPECT_TRUE(connect.facts.not_sent);
  EXPECT_TRUE(MapFailure(Broken(TransportFailure::kConnectTimeout)).facts.not_sent);
  auto lost = MapFailure(Broken(TransportFailure::kConnectionLost));
  EXPECT_EQ(lost.error.code, Code::kUnavailable);
  EXPECT_FALSE(lost.facts.not_sent);
  EXPECT_FALSE(MapFailure(Broken(TransportFailure::kTimeout)).facts.not_sent);
  EXPECT_EQ(MapFailure(Broken(TransportFailure::kTlsVerify)).error.code, Code::kPermissionDenied);
  EXPECT_EQ(MapFailure(Broken(TransportFailure::kTlsPinMismatch)).error.code, Code::kPermissionDenied);
  EXPECT_EQ(MapFailure(Broken(TransportFailure::kTooLarge)).error.code, Code::kInternal);
  EXPECT_NE(connect.error.message.find("GET /version: cannot connect"), std::string::npos);
  EXPECT_NE(connect.error.message.find("curl says why"), std::string::npos);
}

TEST(ApiError, LockTimeoutIsRecognisedInItsVariants) {
  EXPECT_TRUE(IsLockTimeout("can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout"));
  EXPECT_TRUE(IsLockTimeout("trying to acquire lock...\ncan't lock file '/etc/pve/.lock' - got timeout\n"));
  EXPECT_FALSE(IsLockTimeout("VM is locked (backup)"));
}

}  // namespace
}  // namespace hainfra::transport
