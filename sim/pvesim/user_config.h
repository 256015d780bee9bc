// user.cfg as pve-access-control reads and writes it (users, API tokens, groups, roles, ACLs; pool lines
// are kept as they are for the pool handlers), and the built-in roles and privileges of PVE 8.4 / 9.1.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace pvesim {

using PrivilegeSet = std::set<std::string>;

struct TokenEntry {
  int64_t expire = 0;
  bool privsep = true;
  std::string comment;
};

struct UserEntry {
  bool enable = true;
  int64_t expire = 0;
  std::string firstname, lastname, email, comment, keys;
  std::set<std::string> groups;
  std::map<std::string, TokenEntry> tokens;
};

struct GroupEntry {
  std::set<std::string> users;
  std::string comment;
};

// One ACL path's entries: member ("root@pam", "admins" for groups, "u@pve!t") -> role -> propagate.
struct AclNode {
  std::map<std::string, std::map<std::string, bool>> users, groups, tokens;
  bool Empty() const;
};

struct PoolEntry {
  std::set<std::string> vms, storage;
};

struct UserConfig {
  std::map<std::string, UserEntry> users;
  std::map<std::string, GroupEntry> groups;
  std::map<std::string, PrivilegeSet> roles;  // custom roles only
  std::map<std::string, AclNode> acl;         // normalized path -> entries
  std::map<std::string, PoolEntry> pools;     // parsed for pool ACLs, written back from pool_lines
  std::vector<std::string> pool_lines;

  // The privileges of a role, built-in or custom; nullptr when it does not exist.
  const PrivilegeSet* Role(const std::string& name, int pve) const;
};

// parse_user_config: unknown or invalid lines are ignored as Proxmox does (with a warning it logs).
UserConfig ParseUserConfig(const std::string& text);
// write_user_config: users with their tokens, groups, pools, custom roles, then ACLs grouped by role list.
std::string WriteUserConfig(const UserConfig& cfg);

// The built-in ("special") roles of PVE `pve` (8 or 9): Administrator, NoAccess, PVEAdmin, PVEAuditor, ...
const std::map<std::string, PrivilegeSet>& BuiltinRoles(int pve);
bool IsBuiltinRole(const std::string& name, int pve);
// Every privilege name PVE `pve` knows.
const PrivilegeSet& ValidPrivileges(int pve);

// PVE::AccessControl::normalize_path; empty when invalid.
std::string NormalizeAclPath(const std::string& path);
// PVE::AccessControl::check_path: the paths an ACL may be set on.
bool IsValidAclPath(const std::string& path);

// "user@realm!token" -> {"user@realm", "token"}; empty second when not a token id.
std::pair<std::string, std::string> SplitTokenId(const std::string& id);
// The realm of "name@realm" (empty when malformed).
std::string RealmOf(const std::string& userid);

}  // namespace pvesim
