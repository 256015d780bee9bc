// /access: tickets (login and renewal; root@pam and pve-realm users) and the realms (domains.cfg).
#include <ctime>

#include "sim/pvesim/access_store.h"
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"

namespace pvesim {

namespace {

// domains.cfg: one section per realm, "<type>: <realm>" (pam, pve, ldap, ad, openid).
const SectionSchema& DomainSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    for (const char* type : {"pam", "pve", "ldap", "ad", "openid"}) {
      auto& o = s.types[type];
      for (const char* k : {"comment", "tfa", "server1", "server2", "base_dn", "bind_dn", "user_attr", "domain",
                            "mode", "sslversion", "capath", "cert", "certkey", "filter", "group_dn", "group_filter",
                            "group_name_attr", "group_classes", "user_classes", "sync_attributes",
                            "sync-defaults-options", "issuer-url", "client-id", "client-key", "username-claim",
                            "scopes", "prompt", "acr-values", "groups-claim", "audiences"})
        o[k] = {"string", false};
      for (const char* k : {"default", "secure", "verify", "case-sensitive", "autocreate", "groups-autocreate",
                            "groups-overwrite", "query-userinfo", "check-connection"})
        o[k] = {"boolean", false};
      o["port"] = {"integer", false};
    }
    return s;
  }();
  return schema;
}

// The realms pve-access-control always has, when domains.cfg does not list them yet.
SectionFile ReadDomains(Simulator& sim) {
  SectionFile file = ReadSections(sim, "domains.cfg", DomainSchema());
  if (!file.Find("pve")) file.sections.insert(file.sections.begin(), Section{"pve", "pve", {{"comment", "Proxmox VE authentication server"}}});
  if (!file.Find("pam")) file.sections.insert(file.sections.begin(), Section{"pam", "pam", {{"comment", "Linux PAM standard authentication"}}});
  return file;
}

std::string RealmPasswordPath(const std::string& realm) { return "priv/realm/" + realm + ".pw"; }

// The realm's settings from the request (everything but the realm id, type, password and control keys).
void ApplyRealmParams(Section& s, const Params& params) {
  for (const auto& key : params.Keys()) {
    if (key == "realm" || key == "type" || key == "password" || key == "delete" || key == "digest") continue;
    const auto& types = DomainSchema().types.at(s.type);
    auto opt = types.find(key);
    if (opt != types.end() && opt->second.type == "boolean") s.values[key] = params.Bool(key) ? 1 : 0;
    else if (opt != types.end() && opt->second.type == "integer") s.values[key] = params.Int(key).value_or(0);
    else s.values[key] = params.StrOr(key, "");
  }
}

void AddDomainRoutes(RouteTable& t) {
  t.Add("GET", "/access/domains", kOpen, [](Call& c) -> Result<Reply> {
    json out = json::array();
    for (const auto& s : ReadDomains(c.sim).sections) {
      json o = {{"realm", s.id}, {"type", s.type}};
      if (s.values.contains("comment")) o["comment"] = s.values["comment"];
      if (s.values.contains("tfa")) o["tfa"] = s.values["tfa"];
      if (s.values.value("default", 0) == 1) o["default"] = 1;
      out.push_back(o);
    }
    return Reply(out);
  });
  t.Add("GET", "/access/domains/{realm}", kNoFlags, [](Call& c) -> Result<Reply> {
    SectionFile file = ReadDomains(c.sim);
    std::string realm = c.params.StrOr("realm", "");
    const Section* s = file.Find(realm);
    if (!s) return Die("domain '" + realm + "' does not exist");
    json o = s->values;
    o["type"] = s->type;
    o["digest"] = file.digest;
    return Reply(o);
  });
  t.Add("POST", "/access/domains", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    SectionFile file = ReadDomains(c.sim);
    std::string realm = c.params.StrOr("realm", ""), type = c.params.StrOr("type", "");
    if (file.Find(realm)) return Die("create auth server failed: domain '" + realm + "' already exists");
    if (type == "pam" || type == "pve") return Die("create auth server failed: unable to create builtin type '" + type + "'");
    if (!DomainSchema().types.contains(type)) return ParamError("type", "value '" + type + "' does not have a value in the enumeration 'ad, ldap, openid, pam, pve'");
    Section s{type, realm, json::object()};
    ApplyRealmParams(s, c.params);
    file.sections.push_back(s);
    if (c.params.Has("password")) {
      if (auto st = c.sim.fs().Write(RealmPasswordPath(realm), c.params.StrOr("password", "")); !st) return Fail(st.error());
    }
    if (auto st = WriteSections(c.sim, "domains.cfg", file, DomainSchema()); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("PUT", "/access/domains/{realm}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    SectionFile file = ReadDomains(c.sim);
    std::string realm = c.params.StrOr("realm", "");
    if (auto st = AssertDigest(c.params.Str("digest"), file.digest); !st) return Fail(st.error());
    Section* s = file.Find(realm);
    if (!s) return Die("update auth server failed: domain '" + realm + "' does not exist");
    for (const auto& key : SplitList(c.params.StrOr("delete", ""))) {
      if (key == "password") (void)c.sim.fs().Write(RealmPasswordPath(realm), "");
      s->values.erase(key);
    }
    ApplyRealmParams(*s, c.params);
    if (c.params.Has("password")) {
      if (auto st = c.sim.fs().Write(RealmPasswordPath(realm), c.params.StrOr("password", "")); !st) return Fail(st.error());
    }
    if (auto st = WriteSections(c.sim, "domains.cfg", file, DomainSchema()); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("DELETE", "/access/domains/{realm}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    SectionFile file = ReadDomains(c.sim);
    std::string realm = c.params.StrOr("realm", "");
    const Section* s = file.Find(realm);
    if (!s) return Die("delete auth server failed: domain '" + realm + "' does not exist");
    if (s->type == "pam" || s->type == "pve") return Die("delete auth server failed: can't remove builtin auth server");
    file.Remove(realm);
    if (auto st = WriteSections(c.sim, "domains.cfg", file, DomainSchema()); !st) return Fail(st.error());
    return Reply(nullptr);
  });
}

// A pve-realm user's login: the password against priv/shadow.cfg, the user enabled and not expired.
bool PveRealmLogin(Simulator& sim, const std::string& username, const std::string& password) {
  auto at = username.rfind('@');
  if (at == std::string::npos || username.substr(at + 1) != "pve") return false;
  UserConfig cfg = LoadUserConfig(sim);
  auto u = cfg.users.find(username);
  if (u == cfg.users.end() || !u->second.enable) return false;
  if (u->second.expire && u->second.expire < static_cast<int64_t>(std::time(nullptr))) return false;
  if (password.starts_with("PVE:")) {
    auto ticket_user = sim.auth().VerifyTicket(password);
    return ticket_user && *ticket_user == username;
  }
  auto shadow = ReadShadow(sim);
  auto it = shadow.find(username.substr(0, at));
  return it != shadow.end() && PasswordMatches(password, it->second);
}

}  // namespace

void AddAccessRoutes(RouteTable& t) {
  t.Add("GET", "/access", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"users", "groups", "roles", "acl", "domains", "ticket", "password", "tfa", "openid",
                        "permissions"}, "subdir"));
  });
  // A dummy so that clients can probe (returns null).
  t.Add("GET", "/access/ticket", kOpen, [](Call&) -> Result<Reply> { return Reply(nullptr); });
  t.Add("POST", "/access/ticket", kOpen | kNoToken, [](Call& c) -> Result<Reply> {
    std::string cluster = ClusterViewFor(c.sim, c.local).name;
    std::string username = c.params.StrOr("username", ""), realm = c.params.StrOr("realm", "");
    if (!realm.empty() && username.find('@') == std::string::npos) username += "@" + realm;
    if (username != "root@pam" && PveRealmLogin(c.sim, username, c.params.StrOr("password", ""))) {
      json res = {{"username", username}, {"ticket", c.sim.auth().MakeTicket(username)},
                  {"CSRFPreventionToken", c.sim.auth().MakeCsrfToken(username)}, {"cap", json::object()}};
      if (!cluster.empty()) res["clustername"] = cluster;
      return Reply(res);
    }
    auto res = c.sim.auth().CreateTicket(c.params.StrOr("username", ""), c.params.StrOr("password", ""),
                                         c.params.StrOr("realm", ""), cluster);
    if (!res) return Fail(res.error());
    return Reply(*res);
  });
  AddDomainRoutes(t);
  AddAccessUserRoutes(t);
  AddAccessAclRoutes(t);
}

}  // namespace pvesim
