// pvesim's access control without a server: user.cfg as pve-access-control reads and writes it, the built-in
// roles of PVE 8 and 9, and privileges evaluated as RPCEnvironment does (paths, propagation, groups,
// NoAccess, pools, privilege-separated tokens, the schema's checks).
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "sim/pvesim/permissions.h"
#include "sim/pvesim/user_config.h"

namespace pvesim {
namespace {

using json = nlohmann::json;

std::string AccessFixture(const std::string& name) {
  std::ifstream in(std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr const char* kUserCfg = R"(user:root@pam:1:0:::root@pam.invalid:::
user:alice@pve:1:0::::::
token:alice@pve!ci:0:1::
token:alice@pve!full:0:0::
user:bob@pve:1:0::::::
user:carol@pve:1:0::::::

group:ops:bob@pve:Operators:

pool:web:web servers:100,101:local:

role:VmReader:VM.Audit:
role:Operator:Sys.Audit,VM.Audit,VM.PowerMgmt:

acl:1:/:alice@pve:PVEAuditor:
acl:1:/vms:alice@pve:Operator:
acl:0:/vms/200:alice@pve:VmReader:
acl:1:/vms:@ops:Operator:
acl:1:/vms/300:@ops:NoAccess:
acl:1:/vms/100:alice@pve!ci:VmReader:
acl:1:/pool/web:carol@pve:PVEVMAdmin:
)";

TEST(PvesimUserConfig, ReadsUsersTokensGroupsRolesAndAcls) {
  UserConfig cfg = ParseUserConfig(kUserCfg);
  ASSERT_TRUE(cfg.users.contains("alice@pve"));
  EXPECT_TRUE(cfg.users["alice@pve"].tokens.at("ci").privsep);
  EXPECT_FALSE(cfg.users["alice@pve"].tokens.at("full").privsep);
  EXPECT_EQ(cfg.groups["ops"].comment, "Operators");
  EXPECT_TRUE(cfg.users["bob@pve"].groups.contains("ops"));
  EXPECT_EQ(cfg.roles["Operator"], (PrivilegeSet{"Sys.Audit", "VM.Audit", "VM.PowerMgmt"}));
  EXPECT_FALSE(cfg.acl["/vms/200"].users["alice@pve"]["VmReader"]);
  EXPECT_TRUE(cfg.acl["/vms/100"].tokens.contains("alice@pve!ci"));
  EXPECT_EQ(cfg.pools["web"].vms, (std::set<std::string>{"100", "101"}));
}

TEST(PvesimUserConfig, WritesWhatItReadsAsProxmoxOrdersIt) {
  std::string written = WriteUserConfig(ParseUserConfig(kUserCfg));
  EXPECT_EQ(WriteUserConfig(ParseUserConfig(written)), written);
  EXPECT_NE(written.find("token:alice@pve!ci:0:1::\n"), std::string::npos) << written;
  EXPECT_NE(written.find("acl:0:/vms/200:alice@pve:VmReader:\n"), std::string::npos) << written;
  EXPECT_NE(written.find("pool:web:web servers:100,101:local:\n"), std::string::npos) << written;
  EXPECT_LT(written.find("user:"), written.find("group:"));
  EXPECT_LT(written.find("role:"), written.find("acl:"));
}

TEST(PvesimUserConfig, ReadsTheUpstreamTokenFixture) {
  std::string text = AccessFixture("cfg-user-upstream-test-tokens.cfg");
  if (text.empty()) GTEST_SKIP() << "no shared fixtures";
  UserConfig cfg = ParseUserConfig(text);
  EXPECT_TRUE(cfg.users["max@pve"].tokens.at("token2").privsep);
  EXPECT_FALSE(cfg.users["max@pve"].tokens.at("token").privsep);
  EXPECT_TRUE(cfg.acl["/vms/200"].tokens.contains("carol@pam!token"));
  EXPECT_TRUE(cfg.acl["/vms/100"].users.contains("alex@pve")) << "the trailing slash of /vms/100/ is normalized";
}

TEST(PvesimRoles, BuiltinRolesFollowTheProxmoxVersion) {
  EXPECT_TRUE(BuiltinRoles(9).at("PVEVMAdmin").contains("VM.GuestAgent.Unrestricted"));
  EXPECT_FALSE(BuiltinRoles(9).at("PVEVMAdmin").contains("VM.Monitor"));
  EXPECT_TRUE(BuiltinRoles(8).at("PVEVMAdmin").contains("VM.Monitor"));
  EXPECT_EQ(BuiltinRoles(9).at("PVETemplateUser"), (PrivilegeSet{"VM.Audit", "VM.Clone"}));
  EXPECT_FALSE(BuiltinRoles(9).at("PVEAdmin").contains("Mapping.Modify"));
  EXPECT_FALSE(BuiltinRoles(9).at("PVEAdmin").contains("Sys.Modify"));
  EXPECT_TRUE(BuiltinRoles(9).at("Administrator").contains("Permissions.Modify"));
  EXPECT_TRUE(BuiltinRoles(9).at("NoAccess").empty());
  EXPECT_EQ(BuiltinRoles(9).at("PVEAuditor"), (PrivilegeSet{"Datastore.Audit", "Mapping.Audit", "Pool.Audit",
                                                             "SDN.Audit", "Sys.Audit", "VM.Audit", "VM.GuestAgent.Audit"}));
  EXPECT_FALSE(BuiltinRoles(9).contains("PVESysUser")) << "a group without user privileges has no User role";
}

TEST(PvesimPermissions, DeeperEntriesReplaceWhatTheyInherit) {
  UserConfig cfg = ParseUserConfig(kUserCfg);
  PermissionEnv env(cfg, 9);
  EXPECT_TRUE(env.Has("alice@pve", "/nodes/pve-01", {"Sys.Audit"}, false)) << "propagated from /";
  EXPECT_TRUE(env.Has("alice@pve", "/vms/100", {"VM.PowerMgmt"}, false)) << "Operator on /vms propagates";
  EXPECT_FALSE(env.Has("alice@pve", "/vms/150", {"Datastore.Audit"}, false)) << "/vms replaced PVEAuditor";
  EXPECT_TRUE(env.Has("alice@pve", "/vms/100", {"Datastore.Audit"}, false))
      << "pool web's member: the roles alice holds on /pool/web (PVEAuditor, from /) apply too";
  EXPECT_FALSE(env.Has("alice@pve", "/vms/200", {"VM.PowerMgmt"}, false)) << "VmReader on /vms/200 replaced it";
  EXPECT_TRUE(env.Has("alice@pve", "/vms/200", {"VM.Audit"}, false));
}

TEST(PvesimPermissions, GroupsNoAccessAndPoolsApply) {
  UserConfig cfg = ParseUserConfig(kUserCfg);
  PermissionEnv env(cfg, 9);
  EXPECT_TRUE(env.Has("bob@pve", "/vms/100", {"VM.PowerMgmt"}, false)) << "through group ops";
  EXPECT_FALSE(env.Has("bob@pve", "/vms/300", {"VM.Audit"}, false)) << "NoAccess wins";
  EXPECT_TRUE(env.Has("carol@pve", "/vms/101", {"VM.Allocate"}, false)) << "PVEVMAdmin on the pool";
  EXPECT_FALSE(env.Has("carol@pve", "/vms/102", {"VM.Allocate"}, false)) << "not a pool member";
  EXPECT_TRUE(env.Has("root@pam", "/anything", {"Sys.PowerMgmt", "Realm.Allocate"}, false));
  EXPECT_FALSE(env.Has("nobody@pve", "/", {"Sys.Audit"}, false));
}

TEST(PvesimPermissions, SeparatedTokensHoldTheIntersectionOfTheirAndTheirUsersAcls) {
  UserConfig cfg = ParseUserConfig(kUserCfg);
  PermissionEnv env(cfg, 9);
  EXPECT_TRUE(env.Has("alice@pve!ci", "/vms/100", {"VM.Audit"}, false));
  EXPECT_FALSE(env.Has("alice@pve!ci", "/vms/100", {"VM.PowerMgmt"}, false)) << "the token's own ACL lacks it";
  EXPECT_FALSE(env.Has("alice@pve!ci", "/", {"Sys.Audit"}, false)) << "no token ACL on /";
  EXPECT_TRUE(env.Has("alice@pve!full", "/vms/100", {"VM.PowerMgmt"}, false)) << "no privilege separation";
  EXPECT_FALSE(env.Has("alice@pve!gone", "/", {"Sys.Audit"}, false));
}

TEST(PvesimPermissions, RefusalsNameThePathAndThePrivilege) {
  UserConfig cfg = ParseUserConfig(kUserCfg);
  PermissionEnv env(cfg, 9);
  json perm = {{"check", {"perm", "/vms/{vmid}", {"VM.Allocate"}}}};
  auto st = env.CheckApi(&perm, "alice@pve", {{"vmid", "100"}});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().status, 403);
  EXPECT_EQ(st.error().message, "Permission check failed (/vms/100, VM.Allocate)\n");
  json any = {{"check", {"perm", "/storage/{storage}", {"Datastore.Audit", "Datastore.AllocateSpace"}, "any", 1}}};
  EXPECT_EQ(env.CheckApi(&any, "alice@pve!ci", {{"storage", "local"}}).error().message,
            "Permission check failed (/storage/local, Datastore.Audit|Datastore.AllocateSpace)\n");
  EXPECT_EQ(env.CheckApi(nullptr, "alice@pve", json::object()).error().message,
            "Permission check failed (user != root@pam)\n");
  json all = {{"user", "all"}};
  EXPECT_TRUE(env.CheckApi(&all, "alice@pve", json::object()));
}

TEST(PvesimPermissions, AndOrUseridChecksAsTheAccessApiUsesThem) {
  UserConfig cfg = ParseUserConfig(kUserCfg);
  PermissionEnv env(cfg, 9);
  // GET /access/users/{userid}/token: oneself, or User.Modify on a group of the user.
  json own = {{"check", {"or", {"userid-param", "self"}, {"userid-group", {"User.Modify"}}}}};
  EXPECT_TRUE(env.CheckApi(&own, "alice@pve", {{"userid", "alice@pve"}}));
  EXPECT_EQ(env.CheckApi(&own, "alice@pve", {{"userid", "bob@pve"}}).error().message, "Permission check failed\n");
  // POST /access/users: Realm.AllocateUser on the realm, and User.Modify on /access/groups.
  json create = {{"check", {"and", {"userid-param", "Realm.AllocateUser"},
                            {"userid-group", {"User.Modify"}, "groups_param", "create"}}}};
  EXPECT_EQ(env.CheckApi(&create, "alice@pve", {{"userid", "new@pve"}}).error().message,
            "Permission check failed (/access/realm/pve, Realm.AllocateUser)\n");
  // PUT /access/acl: Permissions.Modify (or the object's allocate privilege) on the path.
  json acl = {{"check", {"perm-modify", "{path}"}}};
  EXPECT_TRUE(env.CheckApi(&acl, "carol@pve", {{"path", "/vms/101"}}).has_value()) << "VM.Allocate from the pool";
  EXPECT_EQ(env.CheckApi(&acl, "alice@pve", {{"path", "/"}}).error().message,
            "Permission check failed (/, Permissions.Modify)\n");
}

}  // namespace
}  // namespace pvesim
