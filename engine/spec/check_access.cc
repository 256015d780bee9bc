// Access control: passwords only where Proxmox keeps them (the pve realm), and the lock-out hainfra refuses
// when the spec alone shows it: removing the API token hainfra connects with (cluster.api.token), its user,
// or the ACL grants the token or its user hold (a `state: absent` entry naming them, `[]` roles for
// them). What only the cluster knows (groups, roles in use) is refused when planning.
#include "engine/spec/checks.h"
#include "engine/spec/typer.h"

namespace hainfra::spec {
namespace {

// cluster.api.token without an inline `=SECRET`; "" when the spec connects otherwise.
std::string RunningToken(CheckContext& ctx) {
  for (const Resource* cluster : ctx.OfKind("cluster")) {
    const std::string token = Str(ObjectAt(cluster->body, "api"), "token");
    return token.substr(0, token.find('='));
  }
  return "";
}

void CheckAccessPasswords(CheckContext& ctx) {
  for (const Resource* user : ctx.OfKind("access_user")) {
    if (!Has(user->body, "password")) continue;
    const std::string& id = user->address.name;
    if (id.size() < 4 || id.substr(id.size() - 4) != "@pve") {
      ctx.Error(*user, "/password",
                "a password is kept by Proxmox only for users of the pve realm (this user's realm authenticates "
                "it elsewhere)");
    }
  }
}

void CheckAccessLockout(CheckContext& ctx) {
  const std::string token = RunningToken(ctx);
  if (token.empty()) return;
  const std::string user = token.substr(0, token.find('!'));
  const std::string why = " would lock hainfra out: it connects as API token " + token +
                          " (cluster.api.token); change it by hand or run as another token";
  if (const Resource* t = ctx.Find("access_token", token); t != nullptr && t->absent) {
    ctx.Error(*t, "/state", "removing this token" + why);
  }
  if (const Resource* u = ctx.Find("access_user", user); u != nullptr && u->absent) {
    ctx.Error(*u, "/state", "removing this user" + why);
  }
  if (const Resource* t = ctx.Find("access_token", token); t != nullptr && !t->absent && Has(t->body, "expire") &&
                                                            t->body["expire"].is_number_integer() &&
                                                            t->body["expire"].get<int64_t>() != 0) {
    ctx.Warning(*t, "/expire", "the token hainfra connects as expires: after that, hainfra is locked out");
  }
  for (const Resource* acl : ctx.OfKind("access_acl")) {
    for (const auto& [members, id] : {std::pair{"tokens", token}, std::pair{"users", user}}) {
      const Value& grants = ObjectAt(acl->body, members);
      auto it = grants.find(id);
      if (it == grants.end()) continue;
      const std::string pointer = std::string("/") + members + "/" + EscapePointer(id);
      if (acl->absent) {
        ctx.Error(*acl, "/state", "taking away the grants of " + id + " on " + acl->address.name + why);
      } else if (it->is_array() && it->empty()) {
        ctx.Error(*acl, pointer, "taking away every role of " + id + " on " + acl->address.name + why);
      }
    }
  }
}

// pam and pve always exist, with their own type: they are never created, replaced nor deleted.
void CheckAccessRealms(CheckContext& ctx) {
  for (const Resource* realm : ctx.OfKind("access_realm")) {
    const std::string& id = realm->address.name;
    if (id != "pam" && id != "pve") {
      const std::string type = Str(realm->body, "type");
      if (type == "pam" || type == "pve") {
        ctx.Error(*realm, "/type", "only the built-in realm `" + type + "` has type " + type);
      }
      continue;
    }
    if (realm->absent) ctx.Error(*realm, "/state", "the built-in realm " + id + " cannot be deleted");
    if (Str(realm->body, "type") != id) ctx.Error(*realm, "/type", "the built-in realm " + id + " has type " + id);
  }
}

}  // namespace

void CheckAccess(CheckContext& ctx) {
  CheckAccessPasswords(ctx);
  CheckAccessRealms(ctx);
  CheckAccessLockout(ctx);
}

}  // namespace hainfra::spec
