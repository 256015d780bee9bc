// /access/groups, /access/roles, /access/acl and /access/permissions, as pve-access-control's API2::Group,
// API2::Role, API2::ACL and API2::AccessControl serve them.
#include "sim/pvesim/access_store.h"
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/permissions.h"

namespace pvesim {

namespace {

std::unexpected<ApiError> AclFailed(const std::string& what, const ApiError& e) {
  if (e.status == 400 || e.status == 403) return Fail(e);
  return Die(what + ": " + e.message);
}

std::string AclJoin(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return out;
}

void AddGroupRoutes(RouteTable& t) {
  t.Add("GET", "/access/groups", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    PermissionEnv env(cfg, c.sim.pve());
    json out = json::array();
    for (const auto& [id, g] : cfg.groups) {
      if (!env.Has(c.caller.Userid(), "/access/groups/" + id, {"User.Modify", "Sys.Audit", "Group.Allocate"}, true)) continue;
      json o = {{"groupid", id}, {"users", AclJoin(g.users)}};
      if (!g.comment.empty()) o["comment"] = g.comment;
      out.push_back(o);
    }
    return Reply(out);
  });
  t.Add("POST", "/access/groups", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    UserConfig cfg = LoadUserConfig(c.sim);
    std::string id = c.params.StrOr("groupid", "");
    if (cfg.groups.contains(id)) return Die("create group failed: group '" + id + "' already exists");
    cfg.groups[id].comment = c.params.StrOr("comment", "");
    if (auto st = SaveUserConfig(c.sim, cfg); !st) return AclFailed("create group failed", st.error());
    return Reply(nullptr);
  });
  t.Add("GET", "/access/groups/{groupid}", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    std::string id = c.params.StrOr("groupid", "");
    auto it = cfg.groups.find(id);
    if (it == cfg.groups.end()) return Die("group '" + id + "' does not exist");
    json members = json::array();
    for (const auto& u : it->second.users) members.push_back(u);
    json o = {{"members", members}};
    if (!it->second.comment.empty()) o["comment"] = it->second.comment;
    return Reply(o);
  });
  t.Add("PUT", "/access/groups/{groupid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    UserConfig cfg = LoadUserConfig(c.sim);
    std::string id = c.params.StrOr("groupid", "");
    auto it = cfg.groups.find(id);
    if (it == cfg.groups.end()) return Die("update group failed: group '" + id + "' does not exist");
    if (c.params.Has("comment")) it->second.comment = c.params.StrOr("comment", "");
    if (auto st = SaveUserConfig(c.sim, cfg); !st) return AclFailed("update group failed", st.error());
    return Reply(nullptr);
  });
  t.Add("DELETE", "/access/groups/{groupid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    UserConfig cfg = LoadUserConfig(c.sim);
    std::string id = c.params.StrOr("groupid", "");
    auto it = cfg.groups.find(id);
    if (it == cfg.groups.end()) return Die("delete group failed: group '" + id + "' does not exist");
    for (const auto& u : it->second.users)
      if (auto user = cfg.users.find(u); user != cfg.users.end()) user->second.groups.erase(id);
    cfg.groups.erase(it);
    for (auto& [path, node] : cfg.acl) node.groups.erase(id);  // delete_group_acl
    if (auto st = SaveUserConfig(c.sim, cfg); !st) return AclFailed("delete group failed", st.error());
    return Reply(nullptr);
  });
}

json RoleJson(const std::string& id, const PrivilegeSet& privs, bool special) {
  return {{"roleid", id}, {"privs", AclJoin(privs)}, {"special", special ? 1 : 0}};
}

Status CheckPrivNames(const std::vector<std::string>& privs, int pve) {
  for (const auto& p : privs)
    if (!ValidPrivileges(pve).contains(p)) return Die("invalid privilege '" + p + "'");
  return Ok();
}

void AddRoleRoutes(RouteTable& t) {
  t.Add("GET", "/access/roles", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    json out = json::array();
    for (const auto& [id, privs] : BuiltinRoles(c.sim.pve())) out.push_back(RoleJson(id, privs, true));
    for (const auto& [id, privs] : cfg.roles)
      if (!IsBuiltinRole(id, c.sim.pve())) out.push_back(RoleJson(id, privs, false));
    return Reply(out);
  });
  t.Add("GET", "/access/roles/{roleid}", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    std::string id = c.params.StrOr("roleid", "");
    const PrivilegeSet* privs = cfg.Role(id, c.sim.pve());
    if (!privs) return Die("role '" + id + "' does not exist");
    json o = json::object();
    for (const auto& p : *privs) o[p] = 1;
    return Reply(o);
  });
  t.Add("POST", "/access/roles", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    UserConfig cfg = LoadUserConfig(c.sim);
    std::string id = c.params.StrOr("roleid", "");
    if (id.size() >= 3 && (id[0] == 'P' || id[0] == 'p') && (id[1] == 'V' || id[1] == 'v') && (id[2] == 'E' || id[2] == 'e'))
      return ParamError("roleid", "cannot use role ID starting with the (case-insensitive) 'PVE' namespace");
    if (cfg.Role(id, c.sim.pve())) return Die("create role failed: role '" + id + "' already exists");
    auto privs = SplitList(c.params.StrOr("privs", ""));
    if (auto st = CheckPrivNames(privs, c.sim.pve()); !st) return AclFailed("create role failed", st.error());
    cfg.roles[id] = PrivilegeSet(privs.begin(), privs.end());
    if (auto st = SaveUserConfig(c.sim, cfg); !st) return AclFailed("create role failed", st.error());
    return Reply(nullptr);
  });
  t.Add("PUT", "/access/roles/{roleid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    UserConfig cfg = LoadUserConfig(c.sim);
    std::string id = c.params.StrOr("roleid", "");
    if (IsBuiltinRole(id, c.sim.pve())) return Die("auto-generated role '" + id + "' cannot be modified");
    auto it = cfg.roles.find(id);
    if (it == cfg.roles.end()) return Die("update role failed: role '" + id + "' does not exist");
    auto privs = SplitList(c.params.StrOr("privs", ""));
    if (auto st = CheckPrivNames(privs, c.sim.pve()); !st) return AclFailed("update role failed", st.error());
    if (!c.params.Bool("append")) it->second.clear();
    it->second.insert(privs.begin(), privs.end());
    if (auto st = SaveUserConfig(c.sim, cfg); !st) return AclFailed("update role failed", st.error());
    return Reply(nullptr);
  });
  t.Add("DELETE", "/access/roles/{roleid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    UserConfig cfg = LoadUserConfig(c.sim);
    std::string id = c.params.StrOr("roleid", "");
    if (IsBuiltinRole(id, c.sim.pve())) return Die("auto-generated role '" + id + "' cannot be deleted");
    if (!cfg.roles.erase(id)) return Die("delete role failed: role '" + id + "' does not exist");
    for (auto& [path, node] : cfg.acl) {
      for (auto* members : {&node.users, &node.groups, &node.tokens})
        for (auto& [m, roles] : *members) roles.erase(id);
    }
    if (auto st = SaveUserConfig(c.sim, cfg); !st) return AclFailed("delete role failed", st.error());
    return Reply(nullptr);
  });
}

void AddAclRoutes(RouteTable& t) {
  t.Add("GET", "/access/acl", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    PermissionEnv env(cfg, c.sim.pve());
    std::string me = c.caller.Userid();
    bool audit = env.Has(me, "/access", {"Sys.Audit"}, false);
    json out = json::array();
    for (const auto& [path, node] : cfg.acl) {
      if (!audit && !env.CheckPermModify(me, path)) continue;
      auto emit = [&](const auto& members, const char* type) {
        for (const auto& [id, roles] : members)
          for (const auto& [role, propagate] : roles)
            out.push_back({{"path", path}, {"type", type}, {"ugid", id}, {"roleid", role}, {"propagate", propagate ? 1 : 0}});
      };
      emit(node.users, "user");
      emit(node.groups, "group");
      emit(node.tokens, "token");
    }
    return Reply(out);
  });
  t.Add("PUT", "/access/acl", kNoFlags, [](Call& c) -> Result<Reply> {
    if (!c.params.Has("users") && !c.params.Has("groups") && !c.params.Has("tokens")) {
      std::string msg = "either 'users', 'groups' or 'tokens' is required.";
      return ParamError({{"users", msg}, {"groups", msg}, {"tokens", msg}});
    }
    std::string path = NormalizeAclPath(c.params.StrOr("path", ""));
    bool remove = c.params.Bool("delete");
    if (path.empty() || (!remove && !IsValidAclPath(path)))
      return ParamError("path", "invalid ACL path '" + c.params.StrOr("path", "") + "'");
    std::lock_guard<std::mutex> lock(c.sim.mu());
    UserConfig cfg = LoadUserConfig(c.sim);
    PermissionEnv env(cfg, c.sim.pve());
    auto mine = env.Privileges(c.caller.Userid(), path);
    bool propagate = c.params.Has("propagate") ? c.params.Bool("propagate") : true;
    UserConfig next = cfg;
    AclNode& node = next.acl[path];
    for (const auto& role : SplitList(c.params.StrOr("roles", ""))) {
      const PrivilegeSet* privs = cfg.Role(role, c.sim.pve());
      if (!privs) return Die("ACL update failed: role '" + role + "' does not exist");
      if (!mine.contains("Permissions.Modify")) {
        // Without Permissions.Modify one may only hand out (or take away) what one holds oneself.
        std::string verb = remove ? "remove" : "add";
        for (const auto& p : *privs) {
          auto have = mine.find(p);
          if (have == mine.end())
            return ParamError("role", "Cannot " + verb + " role '" + role + "' - requires 'Permissions.Modify' or superset of privileges.");
          if (propagate && !have->second && !remove)
            return ParamError("role", "Cannot " + verb + " role '" + role +
                                          "' with propagation - requires 'Permissions.Modify' or propagated superset of privileges.");
        }
        if (role == "NoAccess") return ParamError("role", "Cannot " + verb + " role '" + role + "' - requires 'Permissions.Modify'");
      }
      for (const auto& g : SplitList(c.params.StrOr("groups", ""))) {
        if (!cfg.groups.contains(g)) return Die("ACL update failed: group '" + g + "' does not exist");
        if (remove) node.groups[g].erase(role); else node.groups[g][role] = propagate;
      }
      for (const auto& u : SplitList(c.params.StrOr("users", ""))) {
        if (!cfg.users.contains(u)) return Die("ACL update failed: user '" + u + "' does not exist");
        if (remove) node.users[u].erase(role); else node.users[u][role] = propagate;
      }
      for (const auto& tk : SplitList(c.params.StrOr("tokens", ""))) {
        auto [user, token] = SplitTokenId(tk);
        auto it = cfg.users.find(user);
        if (it == cfg.users.end()) return Die("ACL update failed: no such user ('" + user + "')");
        if (!it->second.tokens.contains(token))
          return Die("ACL update failed: no such token '" + token + "' for user '" + user + "'");
        if (remove) node.tokens[tk].erase(role); else node.tokens[tk][role] = propagate;
      }
    }
    for (auto* members : {&node.users, &node.groups, &node.tokens})
      std::erase_if(*members, [](const auto& e) { return e.second.empty(); });
    if (node.Empty()) next.acl.erase(path);
    if (auto st = SaveUserConfig(c.sim, next); !st) return AclFailed("ACL update failed", st.error());
    return Reply(nullptr);
  });
}

// GET /access/permissions: the caller's (or, with Sys.Audit on /access, anyone's) effective privileges,
// on one path or on every path the ACL tree, the pools and the top levels name.
void AddPermissionRoutes(RouteTable& t) {
  t.Add("GET", "/access/permissions", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    PermissionEnv env(cfg, c.sim.pve());
    std::string me = c.caller.Userid();
    std::string who = c.params.StrOr("userid", me);
    if (who != me) {
      bool own_token = SplitTokenId(who).first == me && !SplitTokenId(who).second.empty();
      if (!own_token) {
        if (auto st = env.Check(me, "/access", {"Sys.Audit"}, false); !st) return Fail(st.error());
      }
    }
    std::set<std::string> paths;
    if (c.params.Has("path")) {
      paths.insert(NormalizeAclPath(c.params.StrOr("path", "")));
    } else {
      paths = {"/", "/access", "/access/groups", "/nodes", "/pool", "/sdn", "/storage", "/vms"};
      for (const auto& [path, node] : cfg.acl) paths.insert(path);
      for (const auto& [pool, members] : cfg.pools) {
        for (const auto& v : members.vms) paths.insert("/vms/" + v);
        for (const auto& s : members.storage) paths.insert("/storage/" + s);
      }
    }
    json out = json::object();
    for (const auto& path : paths) {
      if (path.empty()) continue;
      json privs = json::object();
      for (const auto& [p, propagate] : env.Privileges(who, path)) privs[p] = propagate ? 1 : 0;
      if (!privs.empty() || c.params.Has("path")) out[path] = privs;
    }
    return Reply(out);
  });
}

}  // namespace

void AddAccessAclRoutes(RouteTable& t) {
  AddGroupRoutes(t);
  AddRoleRoutes(t);
  AddAclRoutes(t);
  AddPermissionRoutes(t);
}

}  // namespace pvesim
