// hainfra's own token end to end against pvesim (schema validation and privilege checks on): `bootstrap-token`
// creates exactly the role the spec's kinds need, a user, a privilege-separated token and their ACLs, writes
// the secret once to a 0600 file and is idempotent; the kinds then converge with that token and no 403;
// and a role without one of a kind's privileges makes the apply fail with an error naming that privilege
// and the path it is needed on.
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/bootstrap_token.h"
#include "providers/access/kind_privileges.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

// Every kind pvesim serves without SSH: storage, SDN, VMs, HA, backup jobs, access control.
constexpr const char* kLeastPrivilegeObjects = R"(
  - { id: backups, type: dir, path: /srv/backups, content: [backup] }
vlans:
  - { name: research, zone: prod, bridge: vmbr0, tag: 20 }
vms:
  - vmid: 100
    name: web
    node: pve-01
    state: running
    cores: 2
    memory: 2048
    disks: [ { slot: scsi0, storage: local-lvm, size: 8G } ]
    nets: [ { slot: net0, bridge: vmbr0, tag: 20 } ]
  - vmid: 101
    name: db
    node: pve-02
    cores: 4
    memory: 4096
    disks: [ { slot: scsi0, storage: local-lvm, size: 16G } ]
backup_jobs:
  - { id: nightly, schedule: "02:00", storage: backups, mode: snapshot, vms: [100, 101] }
ha:
  groups:
    - { name: web-first, nodes: { pve-01: 2, pve-02: 1 } }
  resources:
    - { sid: "vm:101", state: stopped }
access:
  groups: [ { groupid: ops } ]
  users: [ { userid: alice@pve, groups: [ops] } ]
  roles: [ { roleid: Operators, privs: [VM.Audit, VM.PowerMgmt] } ]
  tokens: [ { id: "alice@pve!deploy", comment: deploys } ]
  acl:
    - { path: /vms, groups: { ops: [Operators] }, tokens: { "alice@pve!deploy": [PVEAuditor] } }
)";

std::string ReadSecretText(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

struct BootstrapRun {
  int exit_code = -1;
  std::string out, err;
};

// `hainfra bootstrap-token` as root@pam (pvesim's password) for `spec`, writing the secret to `secret_file`.
BootstrapRun Bootstrap(E2eCluster& cluster, const Spec& spec, const std::string& secret_file, bool dry_run = false) {
  BootstrapRun run;
  auto settings = cli::BootstrapLoginSettings(spec, cluster.Env(), "root@pam", cluster.sim().password());
  if (!settings) {
    run.err = settings.error().message;
    return run;
  }
  auto api = transport::ApiClient::Create(std::move(*settings));
  if (!api) {
    run.err = api.error().message;
    return run;
  }
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err};
  cli::BootstrapTokenOptions options;
  options.secret_file = secret_file;
  options.dry_run = dry_run;
  run.exit_code = cli::RunBootstrapToken(spec, **api, options, console);
  run.out = out.str();
  run.err = err.str();
  return run;
}

// The privileges of hainfra's role as pvesim answers them.
std::string RolePrivileges(E2eCluster& cluster) {
  for (const auto& r : cluster.Client().Get("/access/roles").data()) {
    if (r.value("roleid", "") == "Hainfra") return r.value("privs", "");
  }
  return "";
}

TEST(LeastPrivilege, BootstrapTokenCreatesRoleUserTokenAndAclsOnceAndWritesTheSecret0600) {
  E2E_START_OR_SKIP(cluster);
  Spec spec = LoadOrFail(*cluster, std::string(kVmSpecHeader) + kLeastPrivilegeObjects);
  TempDir dir;
  const std::string secret_file = dir.path() + "/hainfra.secret";

  BootstrapRun dry = Bootstrap(*cluster, spec, secret_file, /*dry_run=*/true);
  ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("would create role Hainfra with "), std::string::npos) << dry.out;
  EXPECT_EQ(RolePrivileges(*cluster), "") << "a dry run changes nothing";

  BootstrapRun first = Bootstrap(*cluster, spec, secret_file);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  for (const char* step : {"create role Hainfra", "create user hainfra@pve", "create API token hainfra@pve!ci",
                           "grant role Hainfra on / to user hainfra@pve", "grant role Hainfra on / to token hainfra@pve!ci"}) {
    EXPECT_NE(first.out.find(step), std::string::npos) << step << "\n" << first.out;
  }
  EXPECT_NE(first.out.find("    token: hainfra@pve!ci\n    secret: ${file:" + secret_file + "}"), std::string::npos)
      << first.out;
  struct stat st {};
  ASSERT_EQ(::stat(secret_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string secret = ReadSecretText(secret_file);
  EXPECT_EQ(secret.size(), 36u) << "a UUID";
  EXPECT_EQ(first.out.find(secret), std::string::npos) << "the secret is never printed";

  std::set<std::string> expected = providers::RequiredPrivileges(providers::KindsUsed(spec));
  std::string joined;
  for (const auto& p : expected) joined += (joined.empty() ? "" : ",") + p;
  EXPECT_EQ(RolePrivileges(*cluster), joined);
  nlohmann::json token = cluster->Client().Get("/access/users/hainfra@pve/token/ci").data();
  EXPECT_EQ(token.value("privsep", 0), 1);

  BootstrapRun again = Bootstrap(*cluster, spec, secret_file);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;
  EXPECT_EQ(ReadSecretText(secret_file), secret) << "an existing token keeps its secret";
}

TEST(LeastPrivilege, TheKindsConvergeWithTheBootstrappedTokenWithoutA403) {
  E2E_START_OR_SKIP(cluster);
  Spec spec = LoadOrFail(*cluster, std::string(kVmSpecHeader) + kLeastPrivilegeObjects);
  TempDir dir;
  BootstrapRun boot = Bootstrap(*cluster, spec, dir.path() + "/secret");
  ASSERT_EQ(boot.exit_code, 0) << boot.out << boot.err;
  cluster->SetEnv("HAINFRA_API_TOKEN", "hainfra@pve!ci");
  cluster->SetEnv("HAINFRA_API_SECRET", ReadSecretText(dir.path() + "/secret"));
  CommandRun apply = cluster->RunApply(spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(apply.out.find("HTTP 403"), std::string::npos) << apply.out;
  EXPECT_EQ(apply.err.find("HTTP 403"), std::string::npos) << apply.err;
  ExpectEmptyPlan(*cluster, spec);
  CommandRun drift = cluster->RunDrift(spec);
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
}

// One kind, the privilege taken out of hainfra's role, and the path the refusal names.
struct MissingPrivilege {
  std::string name;       // the test's name
  std::string objects;    // appended to kVmSpecHeader
  std::string privilege;  // taken out of the role
  std::string path;       // where Proxmox checks it
};

std::string MissingPrivilegeName(const ::testing::TestParamInfo<MissingPrivilege>& param) { return param.param.name; }

class LeastPrivilegeMissing : public ::testing::TestWithParam<MissingPrivilege> {};

TEST_P(LeastPrivilegeMissing, ApplyFailsNamingThePrivilegeAndItsPath) {
  const MissingPrivilege& m = GetParam();
  E2E_START_OR_SKIP(cluster);
  Spec spec = LoadOrFail(*cluster, std::string(kVmSpecHeader) + m.objects);
  TempDir dir;
  BootstrapRun boot = Bootstrap(*cluster, spec, dir.path() + "/secret");
  ASSERT_EQ(boot.exit_code, 0) << boot.out << boot.err;
  std::set<std::string> privileges = providers::RequiredPrivileges(providers::KindsUsed(spec));
  ASSERT_TRUE(privileges.erase(m.privilege)) << m.privilege << " is not in the role of this spec";
  std::string joined;
  for (const auto& p : privileges) joined += (joined.empty() ? "" : ",") + p;
  ApiResult narrowed = cluster->Client().Put("/access/roles/Hainfra", {{"privs", joined}});
  ASSERT_EQ(narrowed.status, 200) << narrowed.raw;

  cluster->SetEnv("HAINFRA_API_TOKEN", "hainfra@pve!ci");
  cluster->SetEnv("HAINFRA_API_SECRET", ReadSecretText(dir.path() + "/secret"));
  CommandRun apply = cluster->RunApply(spec);
  EXPECT_NE(apply.exit_code, 0) << apply.out << apply.err;
  const std::string said = apply.out + apply.err;
  EXPECT_NE(said.find("lack a privilege for this call: `" + m.privilege + "` on `" + m.path + "`"), std::string::npos)
      << said;
}

INSTANTIATE_TEST_SUITE_P(
    EachKind, LeastPrivilegeMissing,
    ::testing::Values(
        MissingPrivilege{"storage", "  - { id: backups, type: dir, path: /srv/backups, content: [backup] }\n",
                         "Datastore.Allocate", "/storage"},
        MissingPrivilege{"vm",
                         "vms:\n  - { vmid: 100, name: web, node: pve-01, cores: 1, memory: 512,"
                         " disks: [ { slot: scsi0, storage: local-lvm, size: 1G } ] }\n",
                         "VM.Allocate", "/vms/100"},
        MissingPrivilege{"vlan", "vlans:\n  - { name: research, zone: prod, bridge: vmbr0, tag: 20 }\n",
                         "SDN.Allocate", "/sdn"},  // PVE 9 takes the SDN lock first
        MissingPrivilege{"ha_resource",
                         "vms:\n  - { vmid: 101, name: db, node: pve-02, cores: 1, memory: 512,"
                         " disks: [ { slot: scsi0, storage: local-lvm, size: 1G } ] }\n"
                         "ha:\n  resources:\n    - { sid: \"vm:101\", state: stopped }\n",
                         "Sys.Console", "/"},
        MissingPrivilege{"backup_job",
                         "  - { id: backups, type: dir, path: /srv/backups, content: [backup] }\n"
                         "backup_jobs:\n  - { id: nightly, schedule: \"02:00\", storage: backups, mode: snapshot, all: true }\n",
                         "Sys.Modify", "/"},
        MissingPrivilege{"access_role", "access:\n  roles:\n    - { roleid: Operators, privs: [VM.Audit] }\n",
                         "Sys.Modify", "/access"},
        MissingPrivilege{"access_acl", "access:\n  acl:\n    - { path: /vms, users: { root@pam: [PVEAuditor] } }\n",
                         "Permissions.Modify", "/vms"},
        MissingPrivilege{"access_realm",
                         "access:\n  realms:\n    - { realm: corp, type: ldap, server1: ldap.example.com,"
                         " base_dn: \"dc=example,dc=com\", user_attr: uid }\n",
                         "Realm.Allocate", "/access/realm"},
        MissingPrivilege{"access_group", "access:\n  groups:\n    - { groupid: ops }\n", "Group.Allocate",
                         "/access/groups"},
        MissingPrivilege{"access_user", "access:\n  users:\n    - { userid: alice@pve }\n", "Realm.AllocateUser",
                         "/access/realm/pve"},
        MissingPrivilege{"access_token",
                         "access:\n  users:\n    - { userid: root@pam }\n"
                         "  tokens:\n    - { id: \"root@pam!deploy\" }\n",
                         "User.Modify", "/access/users/root@pam"},
        MissingPrivilege{"datacenter", "datacenter:\n  keyboard: de\n", "Sys.Modify", "/"},
        MissingPrivilege{"pool", "pools:\n  - { id: hpc, comment: the HPC nodes }\n", "Pool.Allocate", "/pool/hpc"}),
    MissingPrivilegeName);

}  // namespace
}  // namespace hainfra::testing
