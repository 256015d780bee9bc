// pvesim as a process: authentication as pve-http-server does it.
#include <gtest/gtest.h>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

TEST(PvesimAuth, VersionWithoutCredentialsIs401WithoutBody) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient anon(*pvesim, PvesimClient::Auth::kNone);
  ApiResult r = anon.Get("/version");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.reason, "No ticket");
  EXPECT_TRUE(r.raw.empty());
}

TEST(PvesimAuth, TokenAndTicketBothReadTheVersion) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient token(*pvesim);
  ApiResult r = token.Get("/version");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.data()["release"], "9.1");
  PvesimClient ticket(*pvesim, PvesimClient::Auth::kNone);
  ASSERT_TRUE(ticket.Login());
  EXPECT_EQ(ticket.Get("/version").status, 200);
}

TEST(PvesimAuth, WrongPasswordAndWrongSecretAreRefused) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim, PvesimClient::Auth::kNone);
  ApiResult login = c.Raw("POST", "/access/ticket", {}, "username=root%40pam&password=wrong");
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(login.message(), "authentication failure\n");
  ApiResult token = c.Raw("GET", "/version", {{"Authorization", "PVEAPIToken=root@pam!hainfra=nope"}});
  EXPECT_EQ(token.status, 401);
  EXPECT_EQ(token.reason, "Authentication failed!");
}

TEST(PvesimAuth, TicketWritesNeedTheCsrfToken) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim, PvesimClient::Auth::kNone);
  ApiResult login = c.Raw("POST", "/access/ticket", {}, "username=root%40pam&password=" + pvesim->password());
  ASSERT_EQ(login.status, 200) << login.raw;
  std::string ticket = login.data()["ticket"];
  EXPECT_EQ(ticket.rfind("PVE:root@pam:", 0), 0u);
  EXPECT_EQ(login.data()["clustername"], "pvesim");
  ApiResult no_csrf = c.Raw("POST", "/nodes/pve-01/qemu", {{"Cookie", "PVEAuthCookie=" + ticket}}, "vmid=100");
  EXPECT_EQ(no_csrf.status, 401);
  EXPECT_EQ(no_csrf.reason, "Permission denied - invalid csrf token");
  // GET needs no CSRF token.
  EXPECT_EQ(c.Raw("GET", "/nodes", {{"Cookie", "PVEAuthCookie=" + ticket}}).status, 200);
}

TEST(PvesimAuth, TicketIsRenewedByPassingItAsPassword) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient c(*pvesim, PvesimClient::Auth::kNone);
  ApiResult first = c.Raw("POST", "/access/ticket", {}, EncodeForm({{"username", "root@pam"}, {"password", pvesim->password()}}));
  ASSERT_EQ(first.status, 200);
  ApiResult renewed = c.Raw("POST", "/access/ticket", {},
                            EncodeForm({{"username", "root@pam"}, {"password", first.data()["ticket"].get<std::string>()}}));
  ASSERT_EQ(renewed.status, 200) << renewed.raw;
  EXPECT_EQ(renewed.data()["username"], "root@pam");
}

TEST(PvesimAuth, TokensAreRefusedOnRootOnlyAndTicketOnlyEndpoints) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient token(*pvesim);
  ApiResult join = token.Post("/cluster/config/join", {{"hostname", "10.10.0.11"}, {"password", "x"},
                                                       {"fingerprint", pvesim->fingerprint()}});
  EXPECT_EQ(join.status, 403);
  EXPECT_EQ(join.message(), "Permission check failed (user != root@pam)\n");
  ApiResult ticket = token.Post("/access/ticket", {{"username", "root@pam"}, {"password", "x"}});
  EXPECT_EQ(ticket.status, 403);
  EXPECT_NE(ticket.message().find("not available with API token, need proper ticket."), std::string::npos);
}

}  // namespace
}  // namespace hainfra::testing
