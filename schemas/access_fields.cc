// `access.users` and `access.groups` — users and groups of user.cfg (/access/users, /access/groups).
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

SectionSpec AccessUserSection() {
  return {.path = "access.users",
          .kind = "access_user",
          .identity = "userid",
          .item = Object("access_user", "A user (only declared users are managed)",
                         {
                             String("userid", "user id name@realm").Format("pve-userid").MaxLength(64).Required()
                                 .Example("alice@pve"),
                             StateField({"present", "absent"}, "absent deletes the user and its tokens"),
                             Bool("enable", "the user may log in (default true)"),
                             Int("expire", "account expiry, seconds since the epoch (0 never)").Min(0),
                             List("groups", "the groups the user is a member of",
                                  String("group", "").Format("pve-groupid").Ref("access_group"))
                                 .Set(),
                             String("comment", "free text").MaxLength(2048),
                             String("password", "pve realm: the password (set on create; afterwards checked by a "
                                                "login and set again only when it no longer matches)")
                                 .Secret()
                                 .Example("${file:/etc/hainfra/alice.password}"),
                             String("email", "mail address").MaxLength(254),
                             String("firstname", "first name").MaxLength(1024),
                             String("lastname", "last name").MaxLength(1024),
                         })};
}

SectionSpec AccessGroupSection() {
  return {.path = "access.groups",
          .kind = "access_group",
          .identity = "groupid",
          .item = Object("access_group", "A user group (members are set on the users)",
                         {
                             String("groupid", "group id").Format("pve-groupid").Required().Example("admins"),
                             StateField({"present", "absent"}, "absent deletes the group"),
                             String("comment", "free text").MaxLength(4096),
                         })};
}

}  // namespace hainfra::schemas

namespace hainfra::schemas {

const std::vector<std::string>& AccessPrivilegeNames() {
  // pve-access-control's privileges of PVE 8 and 9 (VM.Monitor is PVE 8's only; the VM.GuestAgent.* and
  // VM.Replicate privileges PVE 9's only: the plan checks them against the cluster's release).
  static const std::vector<std::string> names = {
      "Datastore.Allocate", "Datastore.AllocateSpace", "Datastore.AllocateTemplate", "Datastore.Audit",
      "Group.Allocate", "Mapping.Audit", "Mapping.Modify", "Mapping.Use", "Permissions.Modify", "Pool.Allocate",
      "Pool.Audit", "Realm.Allocate", "Realm.AllocateUser", "SDN.Allocate", "SDN.Audit", "SDN.Use",
      "Sys.AccessNetwork", "Sys.Audit", "Sys.Console", "Sys.Incoming", "Sys.Modify", "Sys.PowerMgmt",
      "Sys.Syslog", "User.Modify", "VM.Allocate", "VM.Audit", "VM.Backup", "VM.Clone", "VM.Config.CDROM",
      "VM.Config.CPU", "VM.Config.Cloudinit", "VM.Config.Disk", "VM.Config.HWType", "VM.Config.Memory",
      "VM.Config.Network", "VM.Config.Options", "VM.Console", "VM.GuestAgent.Audit", "VM.GuestAgent.FileRead",
      "VM.GuestAgent.FileSystemMgmt", "VM.GuestAgent.FileWrite", "VM.GuestAgent.Unrestricted", "VM.Migrate",
      "VM.Monitor", "VM.PowerMgmt", "VM.Replicate", "VM.Snapshot", "VM.Snapshot.Rollback",
  };
  return names;
}

SectionSpec AccessRoleSection() {
  return {.path = "access.roles",
          .kind = "access_role",
          .identity = "roleid",
          .item = Object("access_role", "A custom role: a set of privileges (built-in roles are never managed)",
                         {
                             String("roleid", "role id").Format("pve-custom-role").Required().Example("Operators"),
                             StateField({"present", "absent"}, "absent deletes the role and the ACL entries naming it"),
                             List("privs", "the privileges the role grants (exactly these)",
                                  Enum("priv", "", AccessPrivilegeNames()))
                                 .Set(),
                         })};
}

namespace {

// The roles one ACL member holds on the path (an empty list takes them all away).
FieldSpec AccessAclRoles() {
  return List("roles", "", String("role", "").Format("pve-role")).Set();
}

}  // namespace

SectionSpec AccessAclSection() {
  return {.path = "access.acl",
          .kind = "access_acl",
          .identity = "path",
          .item = Object("access_acl",
                         "The roles granted on one ACL path (only the users, groups and tokens written are managed)",
                         {
                             String("path", "ACL path").Format("pve-acl-path").Required().Example("/vms"),
                             StateField({"present", "absent"}, "absent takes the written grants away"),
                             Map("users", "roles granted to each user (`[]`: none)", AccessAclRoles())
                                 .Format("pve-userid")
                                 .NotWhole(),
                             Map("groups", "roles granted to each group (`[]`: none)", AccessAclRoles())
                                 .Format("pve-groupid")
                                 .NotWhole(),
                             Map("tokens", "roles granted to each API token (`[]`: none)", AccessAclRoles())
                                 .Format("api-token")
                                 .NotWhole(),
                             Bool("propagate", "the grants apply below the path too (default true)"),
                         })};
}

SectionSpec AccessTokenSection() {
  return {.path = "access.tokens",
          .kind = "access_token",
          .identity = "id",
          .item = Object("access_token", "An API token of a user (only declared tokens are managed)",
                         {
                             String("id", "token id user@realm!name").Format("api-token").Required()
                                 .Example("ci@pve!deploy"),
                             StateField({"present", "absent"}, "absent deletes the token and its ACL entries"),
                             Bool("privsep", "privilege separation: the token holds only its own ACL grants, within "
                                             "its user's (default true)"),
                             Int("expire", "expiry, seconds since the epoch (0 never)").Min(0),
                             String("comment", "free text").MaxLength(1024),
                             String("secret_file", "where a new token's secret is written (mode 0600): an absolute "
                                                   "path or ~/...; Proxmox shows it only once, hainfra never prints it")
                                 .Pattern("^(/|~/)[^\\n\\r]*$")
                                 .Unmanaged()
                                 .Example("/etc/hainfra/ci-deploy.secret"),
                         })};
}

SectionSpec AccessRealmSection() {
  return {.path = "access.realms",
          .kind = "access_realm",
          .identity = "realm",
          .item = Object("access_realm", "An authentication realm (domains.cfg; pam and pve exist always)",
                         {
                             String("realm", "realm id").Format("pve-realm").Required().Example("corp"),
                             StateField({"present", "absent"}, "absent deletes the realm (never pam or pve)"),
                             Enum("type", "realm type (fixed once created)", {"ldap", "ad", "openid", "pam", "pve"})
                                 .Required()
                                 .ForceNew(),
                             String("comment", "free text").MaxLength(4096),
                             Bool("default", "the login dialog's default realm"),
                             String("server1", "ldap/ad: server address").MaxLength(256),
                             String("server2", "ldap/ad: fallback server address").MaxLength(256),
                             Int("port", "ldap/ad: server port").Min(1).Max(65535),
                             Enum("mode", "ldap/ad: connection security", {"ldap", "ldaps", "ldap+starttls"}),
                             Bool("verify", "ldap/ad: verify the server's certificate"),
                             String("base_dn", "ldap: base DN of the users").MaxLength(256),
                             String("user_attr", "ldap: the user name attribute (e.g. uid)").MaxLength(256),
                             String("domain", "ad: the AD domain").MaxLength(256),
                             String("bind_dn", "ldap/ad: the DN hainfra's realm binds as").MaxLength(256),
                             String("password", "ldap/ad: the bind password (written when the realm is created: "
                                                "Proxmox never shows it)")
                                 .Secret()
                                 .Unmanaged(),
                             String("issuer_url", "openid: the issuer URL").MaxLength(256),
                             String("client_id", "openid: the client id").MaxLength(256),
                             String("client_key", "openid: the client secret").Secret(),
                             String("username_claim", "openid: the claim naming the user (e.g. email)").MaxLength(256),
                             Bool("autocreate", "ldap/ad/openid: create users on first login"),
                         })};
}

}  // namespace hainfra::schemas
