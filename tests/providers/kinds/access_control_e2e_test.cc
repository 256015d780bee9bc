// access_role, access_token, access_acl, access_realm and user passwords end to end against pvesim (schema
// validation on): create, an empty second plan, updates in place, a new token's secret written once to a
// 0600 file and never printed nor rotated, only the written ACL members managed, removal only with consent,
// the lock-out of hainfra's own token refused (at validate when the spec shows it, else in the plan), and
// bad values refused at their spec location.
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/kind_e2e.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The `access:` section: a group, a user with a password, a role, a token, and the ACL granting them.
std::string AccessControlSpec(const TempDir& dir, const std::string& role_privs = "[VM.Audit, VM.PowerMgmt]",
                              const std::string& token_comment = "deploys") {
  return ClusterHead() + "access:\n"
         "  groups:\n"
         "    - { groupid: ops }\n"
         "  users:\n"
         "    - { userid: alice@pve, groups: [ops], password: \"${file:" + dir.File("alice.pw") + "}\" }\n"
         "  roles:\n"
         "    - { roleid: Operators, privs: " + role_privs + " }\n"
         "  tokens:\n"
         "    - { id: \"alice@pve!deploy\", privsep: true, comment: " + token_comment +
         ", secret_file: " + dir.File("deploy.secret") + " }\n"
         "  acl:\n"
         "    - path: /vms\n"
         "      groups: { ops: [Operators] }\n"
         "      tokens: { \"alice@pve!deploy\": [PVEAuditor] }\n";
}

// Who holds what on `path`: "type:ugid:role:propagate" lines.
std::vector<std::string> AclOn(E2eCluster& cluster, const std::string& path) {
  std::vector<std::string> out;
  for (const auto& a : cluster.Client().Get("/access/acl").data()) {
    if (a.value("path", "") != path) continue;
    out.push_back(a.value("type", "") + ":" + a.value("ugid", "") + ":" + a.value("roleid", "") + ":" +
                  std::to_string(a.value("propagate", 0)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A pve-realm login with `password`: the HTTP status.
int LoginStatus(E2eCluster& cluster, const std::string& user, const std::string& password) {
  return cluster.Client()
      .Raw("POST", "/access/ticket", {}, "username=" + user + "&password=" + password,
           "application/x-www-form-urlencoded")
      .status;
}

TEST(AccessControlE2e, CreatesRoleTokenAndAclWritesTheSecretOnceThenPlansNothing) {
  E2E_START_OR_SKIP(cluster);
  TempDir dir;
  WriteText(dir.File("alice.pw"), "correct-horse\n");
  auto spec = cluster->Load(AccessControlSpec(dir));
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("create access_group/ops", "create access_user/alice@pve",
                                            "create access_role/Operators", "create access_token/alice@pve!deploy",
                                            "create access_acl//vms"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;

  EXPECT_EQ(cluster->Client().Get("/access/roles/Operators").data(), (nlohmann::json{{"VM.Audit", 1}, {"VM.PowerMgmt", 1}}));
  nlohmann::json token = cluster->Client().Get("/access/users/alice@pve/token/deploy").data();
  EXPECT_EQ(token.value("privsep", 0), 1);
  EXPECT_EQ(token.value("comment", ""), "deploys");
  EXPECT_THAT(AclOn(*cluster, "/vms"), ElementsAre("group:ops:Operators:1", "token:alice@pve!deploy:PVEAuditor:1"));
  struct stat st {};
  ASSERT_EQ(::stat(dir.File("deploy.secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string secret = ReadText(dir.File("deploy.secret"));
  EXPECT_EQ(secret.size(), 37u) << "a UUID and a newline";
  EXPECT_THAT(apply.out + apply.err, Not(HasSubstr(secret.substr(0, 36)))) << "the secret is never printed";
  EXPECT_EQ(LoginStatus(*cluster, "alice@pve", "correct-horse"), 200);

  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);
}

TEST(AccessControlE2e, UpdatesInPlaceNeverRotatesASecretAndLeavesUnwrittenGrantsAlone) {
  E2E_START_OR_SKIP(cluster);
  TempDir dir;
  WriteText(dir.File("alice.pw"), "correct-horse\n");
  auto spec = cluster->Load(AccessControlSpec(dir));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  const std::string secret = ReadText(dir.File("deploy.secret"));
  // A grant hainfra was not told about, on the same path.
  ASSERT_EQ(cluster->Client().Post("/access/users", {{"userid", "bob@pve"}}).status, 200);
  ASSERT_EQ(cluster->Client().Put("/access/acl", {{"path", "/vms"}, {"users", "bob@pve"}, {"roles", "PVEAuditor"}}).status,
            200);

  auto changed = cluster->Load(AccessControlSpec(dir, "[VM.Audit, VM.Console]", "release"));
  ASSERT_TRUE(changed) << changed.error().message;
  auto plan = cluster->MakePlan(*changed);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update access_role/Operators", "update access_token/alice@pve!deploy"));
  CommandRun apply = cluster->RunApply(*changed);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(apply.out + apply.err, Not(HasSubstr("battery-staple")));
  EXPECT_EQ(cluster->Client().Get("/access/roles/Operators").data(), (nlohmann::json{{"VM.Audit", 1}, {"VM.Console", 1}}));
  EXPECT_EQ(cluster->Client().Get("/access/users/alice@pve/token/deploy").data().value("comment", ""), "release");
  EXPECT_EQ(ReadText(dir.File("deploy.secret")), secret) << "an existing token's secret is never rotated";
  EXPECT_EQ(LoginStatus(*cluster, "alice@pve", "correct-horse"), 200) << "the password set on create is kept";
  EXPECT_THAT(AclOn(*cluster, "/vms"), ElementsAre("group:ops:Operators:1", "token:alice@pve!deploy:PVEAuditor:1",
                                                   "user:bob@pve:PVEAuditor:1"));
  auto again = cluster->MakePlan(*changed);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(AccessControlE2e, TakingRolesAwayAndDeletingNeedConsent) {
  E2E_START_OR_SKIP(cluster);
  TempDir dir;
  WriteText(dir.File("alice.pw"), "correct-horse\n");
  auto spec = cluster->Load(AccessControlSpec(dir));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);

  // `[]` takes a member's roles away: a destructive update.
  auto narrowed = cluster->Load(ClusterHead() + "access:\n  acl:\n    - { path: /vms, groups: { ops: [] } }\n");
  ASSERT_TRUE(narrowed) << narrowed.error().message;
  EXPECT_NE(cluster->RunApply(*narrowed).exit_code, 0);
  EXPECT_THAT(AclOn(*cluster, "/vms"), ElementsAre("group:ops:Operators:1", "token:alice@pve!deploy:PVEAuditor:1"));
  auto consent = E2eCluster::DefaultApply();
  consent.allow_destroy = true;
  ASSERT_EQ(cluster->RunApply(*narrowed, consent).exit_code, 0);
  EXPECT_THAT(AclOn(*cluster, "/vms"), ElementsAre("token:alice@pve!deploy:PVEAuditor:1"));

  auto absent = cluster->Load(ClusterHead() +
                              "access:\n"
                              "  acl:\n    - { path: /vms, state: absent, tokens: { \"alice@pve!deploy\": [PVEAuditor] } }\n"
                              "  tokens:\n    - { id: \"alice@pve!deploy\", state: absent }\n"
                              "  roles:\n    - { roleid: Operators, state: absent }\n");
  ASSERT_TRUE(absent) << absent.error().message;
  auto plan = cluster->MakePlan(*absent);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("delete access_acl//vms", "delete access_token/alice@pve!deploy",
                                            "delete access_role/Operators"));
  EXPECT_NE(cluster->RunApply(*absent).exit_code, 0);
  ASSERT_EQ(cluster->RunApply(*absent, consent).exit_code, 0);
  EXPECT_THAT(AclOn(*cluster, "/vms"), IsEmpty());
  EXPECT_NE(cluster->Client().Get("/access/users/alice@pve/token/deploy").status, 200);
  EXPECT_NE(cluster->Client().Get("/access/roles/Operators").status, 200);
}

TEST(AccessControlE2e, DriftIsSeen) {
  E2E_START_OR_SKIP(cluster);
  TempDir dir;
  WriteText(dir.File("alice.pw"), "correct-horse\n");
  auto spec = cluster->Load(AccessControlSpec(dir));
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  ASSERT_EQ(cluster->Client().Put("/access/roles/Operators", {{"privs", "VM.Audit"}}).status, 200);
  ASSERT_EQ(cluster->Client()
                .Put("/access/acl", {{"path", "/vms"}, {"groups", "ops"}, {"roles", "Operators"}, {"delete", "1"}})
                .status,
            200);
  // Proxmox refuses API tokens a password change (allowtoken 0), as pvesim does.
  EXPECT_EQ(cluster->Client().Put("/access/password", {{"userid", "alice@pve"}, {"password", "changed-by-hand"}}).status,
            403);
  CommandRun drift = cluster->RunDrift(*spec);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  for (const char* address : {"access_role/Operators", "access_acl//vms"}) {
    EXPECT_THAT(drift.out, HasSubstr(address));
  }
  EXPECT_THAT(drift.out, Not(HasSubstr("correct-horse")));
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  EXPECT_EQ(cluster->RunDrift(*spec).exit_code, 0);
}

TEST(AccessControlE2e, RealmsAreCreatedAndUpdatedAndTheBindPasswordIsNeverShown) {
  E2E_START_OR_SKIP(cluster);
  TempDir dir;
  WriteText(dir.File("bind.pw"), "s3cret-bind\n");
  auto spec = cluster->Load(ClusterHead() + "access:\n  realms:\n"
                            "    - { realm: pve, type: pve, comment: local users }\n"
                            "    - { realm: corp, type: ldap, server1: ldap.example.com, base_dn: \"dc=example,dc=com\","
                            " user_attr: uid, bind_dn: \"cn=pve,dc=example,dc=com\", password: \"${file:" +
                            dir.File("bind.pw") + "}\", mode: ldaps, port: 636 }\n");
  ASSERT_TRUE(spec) << spec.error().message;
  auto plan = cluster->MakePlan(*spec);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_THAT(StepLines(*plan), ElementsAre("update access_realm/pve", "create access_realm/corp"));
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_THAT(apply.out + apply.err, Not(HasSubstr("s3cret-bind")));
  nlohmann::json corp = cluster->Client().Get("/access/domains/corp").data();
  EXPECT_EQ(corp.value("server1", ""), "ldap.example.com");
  EXPECT_EQ(corp.value("port", 0), 636);
  EXPECT_EQ(cluster->Client().Get("/access/domains/pve").data().value("comment", ""), "local users");
  auto again = cluster->MakePlan(*spec);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(StepLines(*again), IsEmpty());
}

TEST(AccessControlE2e, TheLockOutOfHainfrasOwnTokenIsRefusedAtValidateWhenTheSpecShowsIt) {
  E2E_START_OR_SKIP(cluster);
  // ClusterHead() connects as hainfra@pve!ci.
  auto token = cluster->Load(ClusterHead() + "access:\n  tokens:\n    - { id: \"hainfra@pve!ci\", state: absent }\n");
  ASSERT_FALSE(token);
  EXPECT_THAT(token.error().message, HasSubstr("spec.yaml:"));
  EXPECT_THAT(token.error().message, HasSubstr("would lock hainfra out"));
  auto user = cluster->Load(ClusterHead() + "access:\n  users:\n    - { userid: hainfra@pve, state: absent }\n");
  ASSERT_FALSE(user);
  EXPECT_THAT(user.error().message, HasSubstr("would lock hainfra out"));
  auto acl = cluster->Load(ClusterHead() + "access:\n  acl:\n    - { path: /, tokens: { \"hainfra@pve!ci\": [] } }\n");
  ASSERT_FALSE(acl);
  EXPECT_THAT(acl.error().message, HasSubstr("spec.yaml:"));
  EXPECT_THAT(acl.error().message, HasSubstr("would lock hainfra out"));
}

TEST(AccessControlE2e, TheLockOutOfHainfrasOwnTokenIsRefusedInThePlanWhenOnlyTheClusterShowsIt) {
  E2E_START_OR_SKIP(cluster);
  // The tests connect as root@pam!hainfra (the environment); it holds its rights through role Keeper on /.
  ASSERT_EQ(cluster->Client().Post("/access/roles", {{"roleid", "Keeper"}, {"privs", "Sys.Audit,Sys.Modify"}}).status, 200);
  ASSERT_EQ(cluster->Client().Put("/access/acl", {{"path", "/"}, {"tokens", "root@pam!hainfra"}, {"roles", "Keeper"}}).status,
            200);
  auto role = cluster->Load(ClusterHead() + "access:\n  roles:\n    - { roleid: Keeper, privs: [Sys.Audit] }\n");
  ASSERT_TRUE(role) << role.error().message;
  auto plan = cluster->MakePlan(*role);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->diagnostics.size(), 1u);
  EXPECT_EQ(plan->diagnostics.front().severity, Severity::kError);
  EXPECT_THAT(plan->diagnostics.front().where.ToString(), HasSubstr("spec.yaml:10:"));
  EXPECT_THAT(plan->diagnostics.front().message, HasSubstr("taking Sys.Modify away from this role would lock hainfra out"));
  EXPECT_NE(cluster->RunApply(*role).exit_code, 0);

  auto gone = cluster->Load(ClusterHead() + "access:\n  roles:\n    - { roleid: Keeper, state: absent }\n");
  ASSERT_TRUE(gone) << gone.error().message;
  auto refused = cluster->MakePlan(*gone);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("deleting this role would lock hainfra out"));

  auto acl = cluster->Load(ClusterHead() + "access:\n  acl:\n    - { path: /, tokens: { \"root@pam!hainfra\": [] } }\n");
  ASSERT_TRUE(acl) << acl.error().message;
  auto narrowed = cluster->MakePlan(*acl);
  ASSERT_TRUE(narrowed) << narrowed.error().message;
  ASSERT_EQ(narrowed->diagnostics.size(), 1u);
  EXPECT_THAT(narrowed->diagnostics.front().message,
              HasSubstr("taking Keeper away from root@pam!hainfra would lock hainfra out"));
  EXPECT_NE(cluster->RunApply(*acl, [] {
              auto consent = E2eCluster::DefaultApply();
              consent.allow_destroy = true;
              return consent;
            }()).exit_code,
            0);
  EXPECT_EQ(cluster->Client().Get("/access/roles/Keeper").data(), (nlohmann::json{{"Sys.Audit", 1}, {"Sys.Modify", 1}}));
}

TEST(AccessControlE2e, BadValuesAreRefusedAtTheirLocation) {
  E2E_START_OR_SKIP(cluster);
  struct Bad {
    std::string yaml, says;
  };
  for (const Bad& bad : {
           Bad{"  roles:\n    - { roleid: PVEAdmin, privs: [VM.Audit] }\n", "built-in roles"},
           Bad{"  roles:\n    - { roleid: Administrator }\n", "built-in roles"},
           Bad{"  roles:\n    - { roleid: Ops, privs: [VM.Fly] }\n", "VM.Fly"},
           Bad{"  acl:\n    - { path: /bogus, users: { alice@pve: [PVEAuditor] } }\n", "ACL path"},
           Bad{"  users:\n    - { userid: bob@pam, password: \"${env:BOB_PW}\" }\n", "pve realm"},
           Bad{"  tokens:\n    - { id: alice@pve }\n", "token id"},
           Bad{"  realms:\n    - { realm: pam, type: pam, state: absent }\n", "cannot be deleted"},
       }) {
    auto spec = cluster->Load(ClusterHead() + "access:\n" + bad.yaml);
    ASSERT_FALSE(spec) << bad.yaml;
    EXPECT_THAT(spec.error().message, HasSubstr("spec.yaml:")) << bad.yaml;
    EXPECT_THAT(spec.error().message, HasSubstr(bad.says)) << bad.yaml;
  }
  // A privilege this release does not know: refused when planning, at the privilege.
  auto monitor = cluster->Load(ClusterHead() + "access:\n  roles:\n    - { roleid: Ops, privs: [VM.Monitor] }\n");
  ASSERT_TRUE(monitor) << monitor.error().message;
  auto plan = cluster->MakePlan(*monitor);
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().message, HasSubstr("spec.yaml:10:"));
  EXPECT_THAT(plan.error().message, HasSubstr("privilege VM.Monitor does not exist on Proxmox VE 9"));
}

}  // namespace
}  // namespace hainfra::testing
