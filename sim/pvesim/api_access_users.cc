// /access/users and their API tokens, as pve-access-control's API2::User serves them (user.cfg lines,
// token secrets in priv/token.cfg, pve-realm passwords in priv/shadow.cfg).
#include <ctime>

#include "sim/pvesim/access_store.h"
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/permissions.h"

namespace pvesim {

namespace {

// extract_user_data: the scalar fields always, groups and tokens with `full`.
json UserJson(const UserEntry& u, bool full) {
  json o = {{"enable", u.enable ? 1 : 0}, {"expire", u.expire}};
  if (!u.firstname.empty()) o["firstname"] = u.firstname;
  if (!u.lastname.empty()) o["lastname"] = u.lastname;
  if (!u.email.empty()) o["email"] = u.email;
  if (!u.comment.empty()) o["comment"] = u.comment;
  if (!u.keys.empty()) o["keys"] = u.keys;
  if (!full) return o;
  o["groups"] = json::array();
  for (const auto& g : u.groups) o["groups"].push_back(g);
  json tokens = json::object();
  for (const auto& [id, t] : u.tokens) {
    json tj = {{"expire", t.expire}, {"privsep", t.privsep ? 1 : 0}};
    if (!t.comment.empty()) tj["comment"] = t.comment;
    tokens[id] = tj;
  }
  o["tokens"] = tokens;
  return o;
}

json TokenJson(const TokenEntry& t) {
  json o = {{"expire", t.expire}, {"privsep", t.privsep ? 1 : 0}};
  if (!t.comment.empty()) o["comment"] = t.comment;
  return o;
}

std::string UsersRealmType(Simulator& sim, const std::string& realm) {
  std::string text = sim.fs().Read("domains.cfg").value_or("");
  std::string needle = ": " + realm + "\n";
  auto pos = text.find(needle);
  if (pos == std::string::npos) return realm == "pam" || realm == "pve" ? realm : "";
  auto line_start = text.rfind('\n', pos);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  return text.substr(line_start, pos - line_start);
}

// Sets the user's groups (add_user_group / delete_user_group), "no such group" when one is missing.
Status SetUserGroups(UserConfig& cfg, const std::string& userid, const std::vector<std::string>& groups, bool append) {
  UserEntry& u = cfg.users[userid];
  if (!append) {
    for (const auto& g : u.groups) cfg.groups[g].users.erase(userid);
    u.groups.clear();
  }
  for (const auto& g : groups) {
    auto it = cfg.groups.find(g);
    if (it == cfg.groups.end()) return Die("no such group '" + g + "'");
    it->second.users.insert(userid);
    u.groups.insert(g);
  }
  return Ok();
}

// lock_user_config's wrapper: "<what> failed: <error>".
std::unexpected<ApiError> UserCfgFailed(const std::string& what, const ApiError& e) {
  if (e.status == 400) return Fail(e);
  return Die(what + ": " + e.message);
}

void AddUserCrudRoutes(RouteTable& t) {
  t.Add("GET", "/access/users", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    PermissionEnv env(cfg, c.sim.pve());
    std::string me = c.caller.Userid();
    std::vector<std::string> privs = {"User.Modify", "Sys.Audit"};
    bool can_all = env.Has(me, "/access/groups", privs, true);
    std::set<std::string> allowed;
    for (const auto& g : env.FilterGroups(me, privs))
      for (const auto& u : cfg.groups[g].users) allowed.insert(u);
    bool full = c.params.Bool("full");
    json out = json::array();
    for (const auto& [id, u] : cfg.users) {
      if (!can_all && id != c.caller.user && !allowed.contains(id)) continue;
      if (c.params.Has("enabled") && c.params.Bool("enabled") != u.enable) continue;
      json o = UserJson(u, full);
      if (full) {
        std::string groups;
        for (const auto& g : u.groups) groups += (groups.empty() ? "" : ",") + g;
        if (groups.empty()) o.erase("groups"); else o["groups"] = groups;
        json tokens = json::array();
        for (const auto& [tid, tk] : u.tokens) {
          json tj = TokenJson(tk);
          tj["tokenid"] = tid;
          tokens.push_back(tj);
        }
        o["tokens"] = tokens;
      }
      std::string type = UsersRealmType(c.sim, RealmOf(id));
      if (!type.empty()) o["realm-type"] = type;
      o["userid"] = id;
      out.push_back(o);
    }
    return Reply(out);
  });
  t.Add("POST", "/access/users", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    std::string id = c.params.StrOr("userid", "");
    auto run = [&]() -> Status {
      UserConfig cfg = LoadUserConfig(c.sim);
      if (cfg.users.contains(id)) return Die("user '" + id + "' already exists");
      std::string realm = RealmOf(id);
      if (c.params.Has("password")) {
        std::string type = UsersRealmType(c.sim, realm);
        if (type != "pve") return Die("setting password for '" + type + "' realm is not supported");
      }
      UserEntry u;
      u.enable = c.params.Bool("enable", true);
      u.expire = c.params.Int("expire").value_or(0);
      u.firstname = c.params.StrOr("firstname", "");
      u.lastname = c.params.StrOr("lastname", "");
      u.email = c.params.StrOr("email", "");
      u.comment = c.params.StrOr("comment", "");
      u.keys = c.params.StrOr("keys", "");
      cfg.users[id] = u;
      if (auto st = SetUserGroups(cfg, id, SplitList(c.params.StrOr("groups", "")), true); !st) return st;
      if (c.params.Has("password")) {
        auto shadow = ReadShadow(c.sim);
        shadow[id.substr(0, id.rfind('@'))] = HashPassword(c.params.StrOr("password", ""));
        if (auto st = WriteShadow(c.sim, shadow); !st) return st;
      }
      return SaveUserConfig(c.sim, cfg);
    };
    if (auto st = run(); !st) return UserCfgFailed("create user failed", st.error());
    return Reply(nullptr);
  });
  t.Add("GET", "/access/users/{userid}", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    auto it = cfg.users.find(c.params.StrOr("userid", ""));
    if (it == cfg.users.end()) return Die("no such user ('" + c.params.StrOr("userid", "") + "')");
    return Reply(UserJson(it->second, true));
  });
  t.Add("PUT", "/access/users/{userid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    std::string id = c.params.StrOr("userid", "");
    auto run = [&]() -> Status {
      UserConfig cfg = LoadUserConfig(c.sim);
      auto it = cfg.users.find(id);
      if (it == cfg.users.end()) return Die("no such user ('" + id + "')");
      UserEntry& u = it->second;
      if (c.params.Has("enable")) u.enable = c.params.Bool("enable");
      if (c.params.Has("expire")) u.expire = c.params.Int("expire").value_or(0);
      if (c.params.Has("groups")) {
        if (auto st = SetUserGroups(cfg, id, SplitList(c.params.StrOr("groups", "")), c.params.Bool("append")); !st) return st;
      }
      if (c.params.Has("firstname")) u.firstname = c.params.StrOr("firstname", "");
      if (c.params.Has("lastname")) u.lastname = c.params.StrOr("lastname", "");
      if (c.params.Has("email")) u.email = c.params.StrOr("email", "");
      if (c.params.Has("comment")) u.comment = c.params.StrOr("comment", "");
      if (c.params.Has("keys")) u.keys = c.params.StrOr("keys", "");
      return SaveUserConfig(c.sim, cfg);
    };
    if (auto st = run(); !st) return UserCfgFailed("update user failed", st.error());
    return Reply(nullptr);
  });
  t.Add("DELETE", "/access/users/{userid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    std::string id = c.params.StrOr("userid", "");
    auto run = [&]() -> Status {
      UserConfig cfg = LoadUserConfig(c.sim);
      auto it = cfg.users.find(id);
      if (it == cfg.users.end()) return Die("no such user ('" + id + "')");
      auto secrets = ReadTokenSecrets(c.sim);
      for (const auto& [tid, unused] : it->second.tokens) secrets.erase(id + "!" + tid);
      for (const auto& g : it->second.groups) cfg.groups[g].users.erase(id);
      // delete_user_acl (and the ACLs of its tokens, which cannot outlive it).
      for (auto& [path, node] : cfg.acl) {
        node.users.erase(id);
        std::erase_if(node.tokens, [&](const auto& e) { return SplitTokenId(e.first).first == id; });
      }
      cfg.users.erase(it);
      if (UsersRealmType(c.sim, RealmOf(id)) == "pve") {
        auto shadow = ReadShadow(c.sim);
        shadow.erase(id.substr(0, id.rfind('@')));
        if (auto st = WriteShadow(c.sim, shadow); !st) return st;
      }
      if (auto st = WriteTokenSecrets(c.sim, secrets); !st) return st;
      return SaveUserConfig(c.sim, cfg);
    };
    if (auto st = run(); !st) return UserCfgFailed("delete user failed", st.error());
    return Reply(nullptr);
  });
}

// PUT /access/password (change_password): pve-realm users only (PAM passwords are the nodes' own). A
// caller changing another user's password with a ticket confirms it with its own password
// (`confirmation-password`); root@pam and API tokens (which have none) do not.
void AddPasswordRoute(RouteTable& t) {
  t.Add("PUT", "/access/password", kNoToken, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    std::string id = c.params.StrOr("userid", "");
    UserConfig cfg = LoadUserConfig(c.sim);
    if (!cfg.users.contains(id)) return Die("no such user ('" + id + "')");
    if (!c.caller.via_token() && c.caller.user != "root@pam" && c.caller.user != id) {
      auto shadow = ReadShadow(c.sim);
      auto at = c.caller.user.rfind('@');
      auto mine = shadow.find(c.caller.user.substr(0, at));
      if (!c.params.Has("confirmation-password") || mine == shadow.end() ||
          !PasswordMatches(c.params.StrOr("confirmation-password", ""), mine->second))
        return Raise(401, "authentication failure");
    }
    std::string type = UsersRealmType(c.sim, RealmOf(id));
    if (type != "pve") return Die("change password failed: you can't change password on realm '" + type + "'");
    auto shadow = ReadShadow(c.sim);
    shadow[id.substr(0, id.rfind('@'))] = HashPassword(c.params.StrOr("password", ""));
    if (auto st = WriteShadow(c.sim, shadow); !st) return UserCfgFailed("change password failed", st.error());
    return Reply(nullptr);
  });
}

void AddTokenRoutes(RouteTable& t) {
  t.Add("GET", "/access/users/{userid}/token", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    auto it = cfg.users.find(c.params.StrOr("userid", ""));
    if (it == cfg.users.end()) return Die("no such user ('" + c.params.StrOr("userid", "") + "')");
    json out = json::array();
    for (const auto& [tid, tk] : it->second.tokens) {
      json o = TokenJson(tk);
      o["tokenid"] = tid;
      out.push_back(o);
    }
    return Reply(out);
  });
  t.Add("GET", "/access/users/{userid}/token/{tokenid}", kNoFlags, [](Call& c) -> Result<Reply> {
    UserConfig cfg = LoadUserConfig(c.sim);
    std::string id = c.params.StrOr("userid", ""), tid = c.params.StrOr("tokenid", "");
    auto it = cfg.users.find(id);
    if (it == cfg.users.end()) return Die("no such user ('" + id + "')");
    auto tk = it->second.tokens.find(tid);
    if (tk == it->second.tokens.end()) return Die("no such token '" + tid + "' for user '" + id + "'");
    return Reply(TokenJson(tk->second));
  });
  t.Add("POST", "/access/users/{userid}/token/{tokenid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    std::string id = c.params.StrOr("userid", ""), tid = c.params.StrOr("tokenid", "");
    UserConfig cfg = LoadUserConfig(c.sim);
    auto it = cfg.users.find(id);
    if (it == cfg.users.end()) return Die("no such user ('" + id + "')");
    if (it->second.tokens.contains(tid)) return ParamError("tokenid", "Token already exists.");
    TokenEntry tk;
    tk.privsep = c.params.Bool("privsep", true);
    tk.expire = c.params.Int("expire").value_or(0);
    tk.comment = c.params.StrOr("comment", "");
    it->second.tokens[tid] = tk;
    std::string full = id + "!" + tid;
    std::string value = RandomUuid();
    auto secrets = ReadTokenSecrets(c.sim);
    secrets[full] = value;
    if (auto st = WriteTokenSecrets(c.sim, secrets); !st) return UserCfgFailed("generating token failed", st.error());
    if (auto st = SaveUserConfig(c.sim, cfg); !st) return UserCfgFailed("generating token failed", st.error());
    json info = {{"privsep", tk.privsep ? 1 : 0}};
    if (c.params.Has("expire")) info["expire"] = tk.expire;
    if (!tk.comment.empty()) info["comment"] = tk.comment;
    return Reply(json{{"info", info}, {"value", value}, {"full-tokenid", full}});
  });
  t.Add("PUT", "/access/users/{userid}/token/{tokenid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    std::string id = c.params.StrOr("userid", ""), tid = c.params.StrOr("tokenid", "");
    UserConfig cfg = LoadUserConfig(c.sim);
    auto it = cfg.users.find(id);
    if (it == cfg.users.end()) return Die("no such user ('" + id + "')");
    auto tk = it->second.tokens.find(tid);
    if (tk == it->second.tokens.end()) return Die("no such token '" + tid + "' for user '" + id + "'");
    if (c.params.Has("privsep")) tk->second.privsep = c.params.Bool("privsep");
    if (c.params.Has("expire")) tk->second.expire = c.params.Int("expire").value_or(0);
    if (c.params.Has("comment")) tk->second.comment = c.params.StrOr("comment", "");
    for (const auto& key : SplitList(c.params.StrOr("delete", ""))) {
      if (key != "comment") return ParamError("delete", "unknown option '" + key + "'");
      tk->second.comment.clear();
    }
    json out = TokenJson(tk->second);
    if (c.params.Bool("regenerate")) {
      std::string full = id + "!" + tid;
      auto secrets = ReadTokenSecrets(c.sim);
      secrets[full] = RandomUuid();
      if (auto st = WriteTokenSecrets(c.sim, secrets); !st) return UserCfgFailed("updating token info failed", st.error());
      out["value"] = secrets[full];
      out["full-tokenid"] = full;
    }
    if (auto st = SaveUserConfig(c.sim, cfg); !st) return UserCfgFailed("updating token info failed", st.error());
    return Reply(out);
  });
  t.Add("DELETE", "/access/users/{userid}/token/{tokenid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    std::string id = c.params.StrOr("userid", ""), tid = c.params.StrOr("tokenid", "");
    UserConfig cfg = LoadUserConfig(c.sim);
    auto it = cfg.users.find(id);
    if (it == cfg.users.end()) return Die("no such user ('" + id + "')");
    if (!it->second.tokens.erase(tid)) return Die("no such token '" + tid + "' for user '" + id + "'");
    std::string full = id + "!" + tid;
    for (auto& [path, node] : cfg.acl) node.tokens.erase(full);
    auto secrets = ReadTokenSecrets(c.sim);
    secrets.erase(full);
    if (auto st = WriteTokenSecrets(c.sim, secrets); !st) return UserCfgFailed("deleting token failed", st.error());
    if (auto st = SaveUserConfig(c.sim, cfg); !st) return UserCfgFailed("deleting token failed", st.error());
    return Reply(nullptr);
  });
}

}  // namespace

void AddAccessUserRoutes(RouteTable& t) {
  AddUserCrudRoutes(t);
  AddTokenRoutes(t);
  AddPasswordRoute(t);
}

}  // namespace pvesim
