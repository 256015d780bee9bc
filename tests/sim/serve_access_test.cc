// pvesim as a process: the /access API (users, groups, roles, ACLs, tokens, realms, permissions) in Proxmox's
// shapes, and every request checked against its method's `permissions` in the API schema.
#include <gtest/gtest.h>

#include "tests/testing/pvesim_client.h"
#include "tests/testing/pvesim_process.h"

namespace hainfra::testing {
namespace {

// A client authenticating with `tokenid` and `secret` (instead of the process's own token).
ApiResult AsToken(PvesimClient& c, const std::string& method, const std::string& path, const std::string& tokenid,
                  const std::string& secret, const std::string& body = "") {
  return c.Raw(method, path, {{"Authorization", "PVEAPIToken=" + tokenid + "=" + secret}}, body,
               body.empty() ? "" : "application/x-www-form-urlencoded");
}

TEST(PvesimAccess, ANewSeparatedTokenCanDoNothingUntilItsUserAndItHoldTheRole) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient root(*pvesim);
  ASSERT_EQ(root.Post("/access/roles", {{"roleid", "Reader"}, {"privs", "Sys.Audit"}}).status, 200);
  ASSERT_EQ(root.Post("/access/users", {{"userid", "ci@pve"}, {"comment", "CI"}}).status, 200);
  ApiResult made = root.Post("/access/users/ci@pve/token/plan", {{"comment", "plans"}});
  ASSERT_EQ(made.status, 200) << made.raw;
  EXPECT_EQ(made.data()["full-tokenid"], "ci@pve!plan");
  EXPECT_EQ(made.data()["info"]["privsep"], 1);
  const std::string secret = made.data()["value"].get<std::string>();

  PvesimClient anon(*pvesim, PvesimClient::Auth::kNone);
  EXPECT_EQ(AsToken(anon, "GET", "/version", "ci@pve!plan", secret).status, 200) << "any user reads the version";
  ApiResult refused = AsToken(anon, "GET", "/cluster/status", "ci@pve!plan", secret);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.message(), "Permission check failed (/, Sys.Audit)\n");

  ASSERT_EQ(root.Put("/access/acl", {{"path", "/"}, {"roles", "Reader"}, {"tokens", "ci@pve!plan"}}).status, 200);
  EXPECT_EQ(AsToken(anon, "GET", "/cluster/status", "ci@pve!plan", secret).status, 403)
      << "the token holds no more than its user";
  ASSERT_EQ(root.Put("/access/acl", {{"path", "/"}, {"roles", "Reader"}, {"users", "ci@pve"}}).status, 200);
  EXPECT_EQ(AsToken(anon, "GET", "/cluster/status", "ci@pve!plan", secret).status, 200);
  EXPECT_EQ(AsToken(anon, "POST", "/cluster/backup", "ci@pve!plan", secret, "schedule=02%3A00&all=1").message(),
            "Permission check failed (/, Sys.Modify)\n");

  ApiResult perms = AsToken(anon, "GET", "/access/permissions", "ci@pve!plan", secret);
  ASSERT_EQ(perms.status, 200) << perms.raw;
  EXPECT_EQ(perms.data()["/"], nlohmann::json({{"Sys.Audit", 1}}));
}

TEST(PvesimAccess, UsersGroupsAndAclsReadBackInProxmoxShapes) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient root(*pvesim);
  ASSERT_EQ(root.Post("/access/groups", {{"groupid", "ops"}, {"comment", "Operators"}}).status, 200);
  ASSERT_EQ(root.Post("/access/users", {{"userid", "ann@pve"}, {"groups", "ops"}, {"email", "ann@example.org"},
                                        {"expire", "0"}, {"password", "correct horse"}}).status, 200);
  ASSERT_EQ(root.Put("/access/acl", {{"path", "/vms"}, {"roles", "PVEVMUser"}, {"groups", "ops"}, {"propagate", "0"}}).status,
            200);
  nlohmann::json user = root.Get("/access/users/ann@pve").data();
  EXPECT_EQ(user["groups"], nlohmann::json::array({"ops"}));
  EXPECT_EQ(user["email"], "ann@example.org");
  EXPECT_EQ(user["enable"], 1);
  nlohmann::json group = root.Get("/access/groups/ops").data();
  EXPECT_EQ(group["members"], nlohmann::json::array({"ann@pve"}));
  bool found = false;
  for (const auto& a : root.Get("/access/acl").data()) {
    if (a["path"] == "/vms" && a["ugid"] == "ops") {
      found = true;
      EXPECT_EQ(a["type"], "group");
      EXPECT_EQ(a["roleid"], "PVEVMUser");
      EXPECT_EQ(a["propagate"], 0);
    }
  }
  EXPECT_TRUE(found);
  // A pve-realm user logs in with the password it was given.
  PvesimClient ann(*pvesim, PvesimClient::Auth::kNone);
  ApiResult login = ann.Post("/access/ticket", {{"username", "ann@pve"}, {"password", "correct horse"}});
  EXPECT_EQ(login.status, 200) << login.raw;
  EXPECT_EQ(ann.Post("/access/ticket", {{"username", "ann@pve"}, {"password", "wrong"}}).status, 401);
}

TEST(PvesimAccess, BuiltinRolesAreNeverChangedAndDisabledUsersTokensStopWorking) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient root(*pvesim);
  ApiResult builtin = root.Put("/access/roles/PVEAdmin", {{"privs", "Sys.Audit"}});
  EXPECT_EQ(builtin.status, 500);
  EXPECT_EQ(builtin.message(), "auto-generated role 'PVEAdmin' cannot be modified\n");
  bool listed = false;
  for (const auto& r : root.Get("/access/roles").data()) {
    if (r["roleid"] == "PVEAuditor") listed = r["special"] == 1;
  }
  EXPECT_TRUE(listed);

  ASSERT_EQ(root.Post("/access/users", {{"userid", "old@pve"}}).status, 200);
  ApiResult made = root.Post("/access/users/old@pve/token/tk", {{"privsep", "0"}});
  ASSERT_EQ(made.status, 200);
  PvesimClient anon(*pvesim, PvesimClient::Auth::kNone);
  EXPECT_EQ(AsToken(anon, "GET", "/version", "old@pve!tk", made.data()["value"].get<std::string>()).status, 200);
  ASSERT_EQ(root.Put("/access/users/old@pve", {{"enable", "0"}}).status, 200);
  EXPECT_EQ(AsToken(anon, "GET", "/version", "old@pve!tk", made.data()["value"].get<std::string>()).status, 401);
}

TEST(PvesimAccess, RealmsAreListedOpenlyAndManagedWithRealmAllocate) {
  PVESIM_START_OR_SKIP(pvesim);
  PvesimClient root(*pvesim);
  ApiResult made = root.Post("/access/domains", {{"realm", "corp"}, {"type", "ldap"}, {"server1", "ldap.example.org"},
                                                 {"base_dn", "dc=example,dc=org"}, {"user_attr", "uid"},
                                                 {"bind_dn", "cn=pve,dc=example,dc=org"}, {"password", "s3cret"}});
  ASSERT_EQ(made.status, 200) << made.raw;
  PvesimClient anon(*pvesim, PvesimClient::Auth::kNone);
  ApiResult list = anon.Get("/access/domains");
  ASSERT_EQ(list.status, 200);
  std::vector<std::string> realms;
  for (const auto& d : list.data()) realms.push_back(d["realm"].get<std::string>());
  EXPECT_EQ(realms, (std::vector<std::string>{"pam", "pve", "corp"}));
  nlohmann::json corp = root.Get("/access/domains/corp").data();
  EXPECT_EQ(corp["type"], "ldap");
  EXPECT_EQ(corp["server1"], "ldap.example.org");
  EXPECT_FALSE(corp.contains("password")) << "the bind password is kept apart";
  EXPECT_EQ(root.Delete("/access/domains/pam").message(), "delete auth server failed: can't remove builtin auth server\n");
}

}  // namespace
}  // namespace hainfra::testing
