// The access-control files in the cluster filesystem: user.cfg (users, tokens, groups, roles, ACLs),
// priv/token.cfg (API token secrets, "user@realm!id secret" lines), priv/shadow.cfg (pve realm password
// hashes, here "user:password-hash:" lines) and domains.cfg (realms), and the permission check of one
// request against its method's `permissions` in the API schema.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/pvesim/auth.h"
#include "sim/pvesim/error.h"
#include "sim/pvesim/user_config.h"

namespace pvesim {

class Simulator;

UserConfig LoadUserConfig(Simulator& sim);
Status SaveUserConfig(Simulator& sim, const UserConfig& cfg);

std::map<std::string, std::string> ReadTokenSecrets(Simulator& sim);
Status WriteTokenSecrets(Simulator& sim, const std::map<std::string, std::string>& secrets);

// verify_token / check_user_enabled for an authenticated caller: the user exists, is enabled and not
// expired; a token exists and is not expired. Errors are the 401 pve-http-server sends.
Status CheckCallerEnabled(Simulator& sim, const Caller& caller);

// check_api2_permissions for a request: `permissions` is the method-info's (nullptr: root@pam only); then
// the checks a few `user => 'all'` handlers make in their code (creating a guest needs VM.Allocate, ...).
Status CheckRequestPermissions(Simulator& sim, const std::string& method, const std::string& path_template,
                               const nlohmann::json* permissions, const Caller& caller, const nlohmann::json& params);

// A salted hash of a pve-realm password (what priv/shadow.cfg keeps), and its check.
std::string HashPassword(const std::string& password);
bool PasswordMatches(const std::string& password, const std::string& hash);
std::map<std::string, std::string> ReadShadow(Simulator& sim);
Status WriteShadow(Simulator& sim, const std::map<std::string, std::string>& shadow);

}  // namespace pvesim
