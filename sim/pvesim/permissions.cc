#include "sim/pvesim/permissions.h"

#include <algorithm>
#include <regex>

#include "sim/pvesim/formats.h"
#include "sim/pvesim/params.h"

namespace pvesim {

using json = nlohmann::json;

namespace {

// PVE::Tools::template_replace: "{vmid}" -> the parameter's value.
std::string PermTemplate(const std::string& tmpl, const json& params) {
  static const std::regex re(R"(\{([^}]+)\})");
  std::string out;
  auto begin = std::sregex_iterator(tmpl.begin(), tmpl.end(), re);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out += tmpl.substr(last, static_cast<size_t>(it->position()) - last);
    std::string key = (*it)[1];
    out += params.contains(key) && !params[key].is_null() ? ScalarText(params[key]) : (*it)[0].str();
    last = static_cast<size_t>(it->position() + it->length());
  }
  return out + tmpl.substr(last);
}

std::string JoinPrivs(const std::vector<std::string>& privs) {
  std::string out;
  for (const auto& p : privs) out += (out.empty() ? "" : "|") + p;
  return out;
}

std::vector<std::string> PrivList(const json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& p : j) out.push_back(p.is_string() ? p.get<std::string>() : p.dump());
  return out;
}

// The options after a check's fixed arguments ("any", 1, "require_param", "x", ...).
std::map<std::string, json> PermOptions(const json& check, size_t from) {
  std::map<std::string, json> out;
  for (size_t i = from; i + 1 < check.size(); i += 2)
    if (check[i].is_string()) out[check[i].get<std::string>()] = check[i + 1];
  return out;
}

bool PermTruthy(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) return !v.get<std::string>().empty() && v.get<std::string>() != "0";
  return false;
}

}  // namespace

// PVE::AccessControl::roles: walks the path from '/', each level's entries replacing what was inherited
// (a token's own entries, else the user's, else the user's groups'); an entry applies below its level
// only when it propagates. NoAccess anywhere in the result wins.
std::map<std::string, bool> PermissionEnv::Roles(const std::string& userid, const std::string& path) const {
  auto [user, token] = SplitTokenId(userid);
  std::vector<std::string> levels = {"/"};
  std::string cur;
  size_t pos = 1;
  while (path != "/" && pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    cur += "/" + path.substr(pos, next - pos);
    levels.push_back(cur);
    pos = next + 1;
  }
  std::map<std::string, bool> roles;
  for (size_t i = 0; i < levels.size(); ++i) {
    bool final = i + 1 == levels.size();
    auto it = cfg_.acl.find(levels[i]);
    if (it == cfg_.acl.end()) continue;
    const AclNode& node = it->second;
    auto apply = [&](const std::map<std::string, bool>& entries, std::map<std::string, bool>& into) {
      for (const auto& [role, propagate] : entries)
        if (final || propagate) into[role] = propagate;
    };
    std::map<std::string, bool> fresh;
    if (!token.empty()) {
      if (auto t = node.tokens.find(userid); t != node.tokens.end()) apply(t->second, fresh);
      if (!fresh.empty()) roles = fresh;
      continue;  // a privilege-separated token has its own ACLs only
    }
    if (auto u = node.users.find(user); u != node.users.end()) apply(u->second, fresh);
    if (!fresh.empty()) {
      roles = fresh;
      continue;
    }
    for (const auto& [group, entries] : node.groups) {
      auto g = cfg_.groups.find(group);
      if (g != cfg_.groups.end() && g->second.users.contains(user)) apply(entries, fresh);
    }
    if (!fresh.empty()) roles = fresh;
  }
  if (auto na = roles.find("NoAccess"); na != roles.end()) return {{"NoAccess", na->second}};
  return roles;
}

std::map<std::string, bool> PermissionEnv::Compile(const std::string& userid, const std::string& path) {
  auto roles = Roles(userid, path);
  // Roles on a pool apply (not propagated) to its guests and storages, unless NoAccess is set there.
  std::map<std::string, bool> pool_roles;
  for (const auto& [pool, members] : cfg_.pools) {
    bool member = (path.starts_with("/vms/") && members.vms.contains(path.substr(5))) ||
                  (path.starts_with("/storage/") && members.storage.contains(path.substr(9)));
    if (!member) continue;
    for (const auto& [role, unused] : Roles(userid, "/pool/" + pool)) pool_roles[role] = false;
  }
  if (!pool_roles.empty() && !roles.contains("NoAccess")) {
    if (pool_roles.contains("NoAccess")) {
      roles = {{"NoAccess", false}};
    } else {
      for (const auto& [role, unused] : pool_roles) roles.emplace(role, false);
    }
  }
  std::map<std::string, bool> privs;
  for (const auto& [role, propagate] : roles) {
    const PrivilegeSet* set = cfg_.Role(role, pve_);
    if (!set) continue;
    for (const auto& p : *set) privs[p] = privs[p] || propagate;
  }
  return privs;
}

const std::map<std::string, bool>& PermissionEnv::Privileges(const std::string& userid, const std::string& path) {
  auto& per_user = cache_[userid];
  if (auto it = per_user.find(path); it != per_user.end()) return it->second;
  std::map<std::string, bool> privs;
  auto [user, token] = SplitTokenId(userid);
  if (userid == "root@pam") {
    for (const auto& p : ValidPrivileges(pve_)) privs[p] = true;
  } else if (!token.empty()) {
    auto u = cfg_.users.find(user);
    const TokenEntry* info = nullptr;
    if (u != cfg_.users.end())
      if (auto t = u->second.tokens.find(token); t != u->second.tokens.end()) info = &t->second;
    if (info) {
      std::map<std::string, bool> user_privs = Privileges(user, path);
      if (!info->privsep) {
        privs = user_privs;
      } else {
        // Privilege separation: the token's own ACLs, intersected with what its user holds.
        for (const auto& [p, propagate] : Compile(userid, path)) {
          if (auto up = user_privs.find(p); up != user_privs.end()) privs[p] = propagate && up->second;
        }
      }
    }
  } else if (cfg_.users.contains(user)) {
    privs = Compile(user, path);
  }
  return per_user[path] = std::move(privs);
}

Status PermissionEnv::Check(const std::string& userid, const std::string& path, const std::vector<std::string>& privs,
                            bool any) {
  const auto& have = path.empty() ? std::map<std::string, bool>{} : Privileges(userid, path);
  if (any) {
    for (const auto& p : privs)
      if (have.contains(p)) return Ok();
    return PermissionError(path + ", " + JoinPrivs(privs));
  }
  for (const auto& p : privs)
    if (!have.contains(p)) return PermissionError(path + ", " + p);
  return Ok();
}

Status PermissionEnv::CheckPermModify(const std::string& userid, const std::string& path) {
  if (path.empty()) return Check(userid, "/access", {"Permissions.Modify"}, false);
  std::vector<std::string> privs = {"Permissions.Modify"};
  if (path.starts_with("/storage/")) privs.push_back("Datastore.Allocate");
  else if (path.starts_with("/vms/")) privs.push_back("VM.Allocate");
  else if (path.starts_with("/pool/")) privs.push_back("Pool.Allocate");
  return Check(userid, path, privs, true);
}

std::vector<std::string> PermissionEnv::FilterGroups(const std::string& userid, const std::vector<std::string>& privs) {
  std::vector<std::string> out;
  for (const auto& [group, unused] : cfg_.groups)
    if (Has(userid, "/access/groups/" + group, privs, true)) out.push_back(group);
  return out;
}

Result<bool> PermissionEnv::Exec(const json& check, const std::string& userid, const json& params, bool noerr) {
  if (!check.is_array() || check.empty() || !check[0].is_string()) return Die("no permission test specified");
  const std::string test = check[0];
  auto fail = [&](const std::string& what) -> Result<bool> {
    if (noerr) return false;
    return PermissionError(what);
  };
  auto quiet = [&](const Status& st) -> Result<bool> {
    if (st) return true;
    if (noerr) return false;
    return std::unexpected(st.error());
  };
  if (test == "and") {
    for (size_t i = 1; i < check.size(); ++i) {
      auto r = Exec(check[i], userid, params, false);
      if (!r) return r;
    }
    return true;
  }
  if (test == "or") {
    for (size_t i = 1; i < check.size(); ++i) {
      auto r = Exec(check[i], userid, params, true);
      if (r && *r) return true;
    }
    return fail("");
  }
  if (test == "perm") {
    if (check.size() < 3 || !check[1].is_string()) return Die("missing parameters");
    auto options = PermOptions(check, 3);
    if (auto rp = options.find("require_param"); rp != options.end()) {
      std::string key = ScalarText(rp->second);
      if (!params.contains(key) || params[key].is_null()) return fail("");
    }
    std::string path = NormalizeAclPath(PermTemplate(check[1].get<std::string>(), params));
    bool any = options.contains("any") && PermTruthy(options["any"]);
    return quiet(Check(userid, path, PrivList(check[2]), any));
  }
  if (test == "userid-group") {
    std::vector<std::string> privs = PrivList(check.size() > 1 ? check[1] : json::array());
    auto options = PermOptions(check, 2);
    std::string groups_param = options.contains("groups_param") ? ScalarText(options["groups_param"]) : "";
    std::string target = params.contains("userid") ? ScalarText(params["userid"]) : "";
    bool check_existing = groups_param != "create";
    if (check_existing && !cfg_.users.contains(target)) {
      if (noerr) return false;
      return Die("no such user ('" + target + "')");
    }
    if (!Has(userid, "/access/groups", privs, true)) {
      auto allowed = FilterGroups(userid, privs);
      auto allowed_has = [&](const std::string& g) { return std::find(allowed.begin(), allowed.end(), g) != allowed.end(); };
      if (!groups_param.empty()) {
        auto requested = SplitList(params.contains("groups") ? ScalarText(params["groups"]) : "");
        if (requested.empty()) return PermissionError("/access/groups, " + JoinPrivs(privs));
        for (const auto& g : requested)
          if (!allowed_has(g)) return PermissionError("/access/groups/" + g + ", " + JoinPrivs(privs));
      }
      if (check_existing) {
        bool ok = false;
        for (const auto& g : allowed) ok = ok || cfg_.groups.at(g).users.contains(target);
        if (!ok) return fail("");
      }
    }
    return true;
  }
  if (test == "userid-param") {
    std::string target = params.contains("userid") ? ScalarText(params["userid"]) : "";
    std::string sub = check.size() > 1 && check[1].is_string() ? check[1].get<std::string>() : "";
    if (sub == "self") {
      if (!cfg_.users.contains(target)) {
        if (noerr) return false;
        return Die("no such user ('" + target + "')");
      }
      if (userid == target) return true;
      return fail("");
    }
    if (sub == "Realm.AllocateUser") return quiet(Check(userid, "/access/realm/" + RealmOf(target), {sub}, false));
    return Die("unknown userid-param test");
  }
  if (test == "perm-modify") {
    std::string path = NormalizeAclPath(PermTemplate(check.size() > 1 ? ScalarText(check[1]) : "", params));
    if (path.empty()) return false;
    return quiet(CheckPermModify(userid, path));
  }
  return Die("unknown permission test");
}

Status PermissionEnv::CheckApi(const json* permissions, const std::string& userid, const json& params) {
  if (permissions && permissions->value("user", "") == "world") return Ok();
  if (userid.empty()) return PermissionError("user != null");
  if (userid == "root@pam") return Ok();
  if (!permissions || permissions->is_null()) return PermissionError("user != root@pam");
  if (permissions->value("user", "") == "all") return Ok();
  if (permissions->contains("check")) {
    auto r = Exec((*permissions)["check"], userid, params, false);
    if (!r) return std::unexpected(r.error());
    if (!*r) return PermissionError();
    return Ok();
  }
  return PermissionError();
}

}  // namespace pvesim
