// Privilege evaluation as pve-access-control's RPCEnvironment does it: roles along the ACL path (deeper
// entries replace shallower ones, user entries win over group entries, propagate, NoAccess), roles
// inherited through pools, privilege-separated tokens (intersection with their user), root@pam as the
// superuser, and the API schema's `permissions` checks (perm / and / or / userid-group / userid-param /
// perm-modify). A refusal is Proxmox's 403 "Permission check failed (/path, Priv)".
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"
#include "sim/pvesim/user_config.h"

namespace pvesim {

class PermissionEnv {
 public:
  PermissionEnv(const UserConfig& cfg, int pve) : cfg_(cfg), pve_(pve) {}

  // The privileges `userid` (a user or a token id) holds on `path`: privilege -> propagated.
  const std::map<std::string, bool>& Privileges(const std::string& userid, const std::string& path);

  // check / check_any: an error names the path and the (first missing, or all alternative) privileges.
  Status Check(const std::string& userid, const std::string& path, const std::vector<std::string>& privs, bool any);
  bool Has(const std::string& userid, const std::string& path, const std::vector<std::string>& privs, bool any) {
    return Check(userid, path, privs, any).has_value();
  }
  // check_perm_modify: Permissions.Modify (or the allocate privilege of the object) on `path`.
  Status CheckPermModify(const std::string& userid, const std::string& path);

  // check_api2_permissions: a method's `permissions` (nullptr: root@pam only) for `userid` with `params`.
  Status CheckApi(const nlohmann::json* permissions, const std::string& userid, const nlohmann::json& params);

  // Groups on which `userid` has any of `privs` (filter_groups).
  std::vector<std::string> FilterGroups(const std::string& userid, const std::vector<std::string>& privs);

  const UserConfig& config() const { return cfg_; }
  int pve() const { return pve_; }

 private:
  // exec_api2_perm_check: true = passed; false = failed quietly (noerr); error = refused.
  Result<bool> Exec(const nlohmann::json& check, const std::string& userid, const nlohmann::json& params, bool noerr);
  std::map<std::string, bool> Roles(const std::string& userid, const std::string& path) const;
  std::map<std::string, bool> Compile(const std::string& userid, const std::string& path);

  const UserConfig& cfg_;
  int pve_;
  std::map<std::string, std::map<std::string, std::map<std::string, bool>>> cache_;  // user -> path -> privs
};

}  // namespace pvesim
