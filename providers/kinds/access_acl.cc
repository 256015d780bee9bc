#include "providers/kinds/access_acl.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "engine/plan/field_diff.h"
#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_kind.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

// The spec's member maps and the ACL entry type each holds.
constexpr std::pair<const char*, const char*> kAccessAclMembers[] = {
    {"users", "user"}, {"groups", "group"}, {"tokens", "token"}};

std::vector<std::string> AccessAclRoles(const Value& roles) {
  std::vector<std::string> out = pve::StringsOf(roles.is_array() ? roles : Value::array());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> AccessAclMinus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// The roles `body` gives the member (`map`: users/groups/tokens), empty when it names none.
std::vector<std::string> AccessAclRolesOf(const Value& body, const char* map, const std::string& ugid) {
  if (!body.is_object() || !body.contains(map) || !body[map].is_object() || !body[map].contains(ugid)) return {};
  return AccessAclRoles(body[map][ugid]);
}

std::string AccessAclWhere(const Resource& r, const std::string& pointer) {
  const Location& at = r.LocationOf(pointer);
  return at.known() ? at.ToString() + ": " : Where(r);
}

}  // namespace

AccessAclKind::AccessAclKind(transport::ApiClient& api)
    : traits_{.name = "access_acl", .order = order::kAccessAcl, .body = SectionBody("access_acl")}, api_(api) {}

std::vector<Resource> AccessAclKind::Desired(const Spec& spec) const { return SectionObjects(spec, "access_acl"); }

Value AccessAclKind::BodyOf(const std::string& path, const std::vector<AccessGrant>& grants, const Value* declared) {
  Value body = {{"path", path}};
  bool any = false, all_propagate = true;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> roles;  // type -> ugid -> roles
  for (const AccessGrant& g : grants) {
    if (g.path != path) continue;
    for (const auto& [map, type] : kAccessAclMembers) {
      if (g.type != type) continue;
      if (declared != nullptr && !(declared->contains(map) && (*declared)[map].contains(g.ugid))) continue;
      roles[map][g.ugid].push_back(g.role);
      any = true;
      all_propagate = all_propagate && g.propagate;
    }
  }
  for (const auto& [map, type] : kAccessAclMembers) {
    (void)type;
    Value members = Value::object();
    if (declared != nullptr && declared->contains(map) && (*declared)[map].is_object()) {
      for (auto it = (*declared)[map].begin(); it != (*declared)[map].end(); ++it) members[it.key()] = Value::array();
    }
    for (const auto& [ugid, list] : roles[map]) {
      Value sorted = Value::array();
      std::vector<std::string> copy = list;
      std::sort(copy.begin(), copy.end());
      for (const std::string& r : copy) sorted.push_back(r);
      members[ugid] = sorted;
    }
    if (!members.empty()) body[map] = members;
  }
  body["propagate"] = any ? all_propagate : true;
  if (!any) body["__empty"] = true;
  return body;
}

Result<std::vector<Observed>> AccessAclKind::Observe(const std::vector<Resource>& desired) {
  lockout_ = AccessLockout{};
  if (desired.empty()) return std::vector<Observed>();
  Result<AccessLockout> lockout = ReadAccessLockout(api_);
  if (!lockout) return Fail(lockout.error());
  lockout_ = std::move(*lockout);
  if (lockout_.token.empty()) {
    Result<std::vector<AccessGrant>> grants = ReadAccessGrants(api_);
    if (!grants) return Fail(grants.error());
    lockout_.grants = std::move(*grants);
  }
  std::vector<Observed> out;
  std::string problems;
  for (const Resource& r : desired) {
    Value body = BodyOf(r.address.name, lockout_.grants, &r.body);
    const bool exists = !body.contains("__empty");
    if (r.absent && exists) {
      for (const auto& [map, type] : kAccessAclMembers) {
        const Value members = body.value(map, Value::object());
        for (auto it = members.begin(); it != members.end(); ++it) {
          if (!it.value().empty() && lockout_.Holds(type, it.key())) {
            problems += "\n" + AccessAclWhere(r, "/state") + r.address.ToString() + ": taking away the grants of " +
                        it.key() + lockout_.Why();
          }
        }
      }
    }
    if (!exists) continue;
    Observed o;
    o.address = r.address;
    o.version = plan::Fingerprint(body);
    o.body = std::move(body);
    out.push_back(std::move(o));
  }
  if (!problems.empty()) return Fail(Code::kFailedPrecondition, "refused:" + problems);
  return out;
}

Result<std::vector<Observed>> AccessAclKind::ObserveAll() {
  Result<std::vector<AccessGrant>> grants = ReadAccessGrants(api_);
  if (!grants) return Fail(grants.error());
  std::set<std::string> paths;
  for (const AccessGrant& g : *grants) paths.insert(g.path);
  std::vector<Observed> out;
  for (const std::string& path : paths) {
    Observed o;
    o.address = Address{"access_acl", path};
    o.body = BodyOf(path, *grants, nullptr);
    o.body.erase("__empty");
    o.version = plan::Fingerprint(o.body);
    out.push_back(std::move(o));
  }
  return out;
}

void AccessAclKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  auto state = body.find("state");
  if (state != body.end() && (*state == "present" || *state == "absent")) body.erase(state);
  body.erase("__empty");
  if (!body.contains("propagate")) body["propagate"] = true;
  for (const auto& [map, type] : kAccessAclMembers) {
    (void)type;
    if (!body.contains(map) || !body[map].is_object()) continue;
    for (auto it = body[map].begin(); it != body[map].end(); ++it) {
      Value sorted = Value::array();
      for (const std::string& r : AccessAclRoles(it.value())) sorted.push_back(r);
      it.value() = sorted;
    }
  }
}

Status AccessAclKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  (void)desired;
  bool takes_away = false;
  const bool narrows_propagation =
      observed.body.value("propagate", true) == true && change.after.value("propagate", true) == false;
  for (FieldChange& f : change.fields) {
    for (const auto& [map, type] : kAccessAclMembers) {
      const std::string prefix = std::string(map) + "[";
      if (f.path.starts_with(prefix)) {
        const std::string ugid = f.path.substr(prefix.size(), f.path.find(']') - prefix.size());
        const std::vector<std::string> lost =
            AccessAclMinus(AccessAclRolesOf(observed.body, map, ugid), AccessAclRolesOf(change.after, map, ugid));
        if (lost.empty()) continue;
        takes_away = true;
        if (lockout_.Holds(type, ugid)) {
          f.refused = "taking " + pve::JoinList(lost, " ") + " away from " + ugid + lockout_.Why();
        }
      }
    }
    if (f.path == "propagate" && narrows_propagation) {
      for (const auto& [map, type] : kAccessAclMembers) {
        const Value members = change.after.value(map, Value::object());
        for (auto it = members.begin(); it != members.end(); ++it) {
          if (lockout_.Holds(type, it.key()) && !it.value().empty()) {
            f.refused = "limiting the grants of " + it.key() + " to the path alone" + lockout_.Why();
          }
        }
      }
    }
  }
  if (takes_away) {
    change.destructive = true;
    change.reason = "takes roles away";
  }
  return Ok();
}

std::vector<Address> AccessAclKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  std::set<std::string> roles;
  for (const auto& [map, type] : kAccessAclMembers) {
    const Value members = body.value(map, Value::object());
    for (auto it = members.begin(); it != members.end(); ++it) {
      out.push_back(Address{std::string("access_") + type, it.key()});
      for (const std::string& r : AccessAclRoles(it.value())) roles.insert(r);
    }
  }
  for (const std::string& r : roles) out.push_back(Address{"access_role", r});
  return out;
}

Status AccessAclKind::Grant(const std::string& path, const std::string& type, const std::string& ugid,
                            const std::vector<std::string>& roles, bool propagate, bool remove) const {
  if (roles.empty()) return Ok();
  Value params = {{"path", path}, {"roles", pve::JoinList(roles)}, {type + "s", ugid}};
  if (remove) params["delete"] = 1;
  else params["propagate"] = propagate ? 1 : 0;
  Result<Value> put = api_.Put("/access/acl", params);
  if (!put) return Fail(WithContext(put.error(), "access_acl/" + path + " " + type + " " + ugid));
  return Ok();
}

Result<Value> AccessAclKind::Current(const std::string& path, const Value& declared) const {
  Result<std::vector<AccessGrant>> grants = ReadAccessGrants(api_);
  if (!grants) return Fail(grants.error());
  return BodyOf(path, *grants, &declared);
}

Status AccessAclKind::Create(const Change& change) {
  const std::string& path = change.address.name;
  const bool propagate = change.after.value("propagate", true);
  for (const auto& [map, type] : kAccessAclMembers) {
    const Value members = change.after.value(map, Value::object());
    for (auto it = members.begin(); it != members.end(); ++it) {
      if (Status s = Grant(path, type, it.key(), AccessAclRoles(it.value()), propagate, false); !s) return s;
    }
  }
  return Ok();
}

Status AccessAclKind::Update(const Change& change) {
  const std::string& path = change.address.name;
  Result<Value> current = Current(path, change.after);
  if (!current) return Fail(current.error());
  current->erase("__empty");
  if (plan::Fingerprint(*current) != change.version) {
    std::vector<FieldChange> left;
    plan::DiffFields(traits_.body, change.after, *current, /*creating=*/false, left);
    if (left.empty()) return Ok();
    return Fail(Code::kFailedPrecondition,
                change.address.ToString() + " changed in the cluster since it was planned; plan again");
  }
  const bool propagate = change.after.value("propagate", true);
  const bool propagate_changed = current->value("propagate", true) != propagate;
  for (const auto& [map, type] : kAccessAclMembers) {
    const Value members = change.after.value(map, Value::object());
    for (auto it = members.begin(); it != members.end(); ++it) {
      const std::vector<std::string> want = AccessAclRoles(it.value());
      const std::vector<std::string> have = AccessAclRolesOf(*current, map, it.key());
      if (Status s = Grant(path, type, it.key(), AccessAclMinus(have, want), propagate, true); !s) return s;
      const std::vector<std::string> add = propagate_changed ? want : AccessAclMinus(want, have);
      if (Status s = Grant(path, type, it.key(), add, propagate, false); !s) return s;
    }
  }
  return Ok();
}

Status AccessAclKind::Delete(const Change& change) {
  const std::string& path = change.address.name;
  // What the entry writes (the plan's observed body names exactly the declared members).
  const Value& declared = change.before;
  Result<Value> current = Current(path, declared);
  if (!current) return Fail(current.error());
  for (const auto& [map, type] : kAccessAclMembers) {
    const Value members = current->value(map, Value::object());
    for (auto it = members.begin(); it != members.end(); ++it) {
      if (Status s = Grant(path, type, it.key(), AccessAclRoles(it.value()), true, true); !s) return s;
    }
  }
  return Ok();
}

}  // namespace hainfra::providers
