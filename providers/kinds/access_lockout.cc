#include "providers/kinds/access_lockout.h"

#include "providers/pve/pve_values.h"

namespace hainfra::providers {

bool AccessLockout::Holds(const std::string& type, const std::string& ugid) const {
  if (token.empty()) return false;
  if (type == "token") return ugid == token;
  if (type == "user") return ugid == user;
  if (type == "group") return groups.contains(ugid);
  return false;
}

std::set<std::string> AccessLockout::RolesHeld() const {
  std::set<std::string> out;
  for (const AccessGrant& g : grants) {
    if (Holds(g.type, g.ugid)) out.insert(g.role);
  }
  return out;
}

std::string AccessLockout::Why() const {
  return " would lock hainfra out: it runs as API token " + token + "; change this by hand, or run as another token";
}

Result<std::vector<AccessGrant>> ReadAccessGrants(transport::ApiClient& api) {
  Result<Value> acl = api.Get("/access/acl");
  if (!acl) return Fail(WithContext(acl.error(), "access ACL"));
  std::vector<AccessGrant> out;
  for (const Value& a : acl->is_array() ? *acl : Value::array()) {
    AccessGrant g;
    g.path = pve::TextOf(a.value("path", Value()));
    g.type = pve::TextOf(a.value("type", Value()));
    g.ugid = pve::TextOf(a.value("ugid", Value()));
    g.role = pve::TextOf(a.value("roleid", Value()));
    g.propagate = pve::FlagOf(a, "propagate");
    out.push_back(std::move(g));
  }
  return out;
}

Result<AccessLockout> ReadAccessLockout(transport::ApiClient& api) {
  AccessLockout out;
  const transport::ApiSettings& settings = api.settings();
  if (!settings.HasToken()) return out;
  out.token = settings.token_id;
  out.user = out.token.substr(0, out.token.find('!'));
  Result<std::vector<AccessGrant>> grants = ReadAccessGrants(api);
  if (!grants) return Fail(grants.error());
  out.grants = std::move(*grants);
  Result<Value> users = api.Get("/access/users", Value{{"full", 1}});
  if (!users) return Fail(WithContext(users.error(), "access users"));
  for (const Value& u : users->is_array() ? *users : Value::array()) {
    if (pve::TextOf(u.value("userid", Value())) != out.user) continue;
    for (const std::string& g : pve::SplitList(pve::TextOf(u.value("groups", Value())))) out.groups.insert(g);
  }
  return out;
}

}  // namespace hainfra::providers
