#include "providers/kinds/access_role.h"

#include <algorithm>
#include <iterator>

#include "providers/kinds/access_lockout.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

// The privileges only one release knows: the other refuses them ("invalid privilege").
bool AccessRoleKnownIn(const std::string& priv, int major) {
  if (priv == "VM.Monitor") return major < 9;
  if (priv.starts_with("VM.GuestAgent.") || priv == "VM.Replicate") return major >= 9;
  return true;
}

std::vector<std::string> AccessRolePrivs(const Value& body) {
  std::vector<std::string> out = pve::StringsOf(body.value("privs", Value::array()));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

AccessRoleKind::AccessRoleKind(transport::ApiClient& api, int pve)
    : SectionKind(KindTraits{.name = "access_role", .order = order::kAccessRole, .body = SectionBody("access_role")},
                  api,
                  pve::SectionEndpoint{.collection = "/access/roles",
                                       .id_key = "roleid",
                                       .update_digest = false,  // user.cfg has no digest
                                       .volatile_keys = {},
                                       .gone_messages = {"does not exist"}}),
      api_(api),
      pve_(pve) {}

Status AccessRoleKind::CheckDesired(const std::vector<Resource>& desired) const {
  std::string problems;
  for (const Resource& r : desired) {
    const Value& privs = r.body.value("privs", Value::array());
    for (size_t i = 0; i < privs.size(); ++i) {
      const std::string priv = pve::TextOf(privs[i]);
      if (AccessRoleKnownIn(priv, pve_)) continue;
      const Location at = r.LocationOf("/privs/" + std::to_string(i));
      problems += "\n" + (at.known() ? at.ToString() + ": " : Where(r)) + r.address.ToString() + ": privilege " +
                  priv + " does not exist on Proxmox VE " + std::to_string(pve_);
    }
  }
  if (!problems.empty()) return Fail(Code::kInvalidArgument, "refused:" + problems);
  return Ok();
}

Result<std::vector<Observed>> AccessRoleKind::Observe(const std::vector<Resource>& desired) {
  Result<std::vector<Observed>> out = SectionKind::Observe(desired);
  if (!out) return out;
  held_.clear();
  why_.clear();
  if (desired.empty()) return out;  // export: nothing is narrowed
  Result<AccessLockout> lockout = ReadAccessLockout(api_);
  if (!lockout) return Fail(lockout.error());
  held_ = lockout->RolesHeld();
  why_ = lockout->Why();
  // Deleting a role hainfra holds its rights through: refused at the role's `state: absent`.
  std::string problems;
  for (const Resource& r : desired) {
    if (!r.absent || !held_.contains(r.address.name)) continue;
    const bool exists = std::any_of(out->begin(), out->end(), [&](const Observed& o) { return o.address == r.address; });
    if (!exists) continue;
    const Location at = r.LocationOf("/state");
    problems += "\n" + (at.known() ? at.ToString() + ": " : Where(r)) + r.address.ToString() +
                ": deleting this role" + why_ + " (it holds its rights through the role)";
  }
  if (!problems.empty()) return Fail(Code::kFailedPrecondition, "refused:" + problems);
  return out;
}

Status AccessRoleKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  (void)desired;
  if (!held_.contains(change.address.name)) return Ok();
  const std::vector<std::string> want = AccessRolePrivs(change.after), have = AccessRolePrivs(observed.body);
  std::vector<std::string> lost;
  std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::back_inserter(lost));
  if (lost.empty()) return Ok();
  for (FieldChange& f : change.fields) {
    if (f.path.starts_with("privs")) {
      f.refused = "taking " + pve::JoinList(lost, " ") + " away from this role" + why_ +
                  " (it holds its rights through the role)";
    }
  }
  return Ok();
}

Result<std::optional<SectionKind::Decoded>> AccessRoleKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("roleid", Value()));
  if (id.empty() || pve::FlagOf(object, "special")) return std::optional<Decoded>();  // built-in: never managed
  Value privs = Value::array();
  std::vector<std::string> names = pve::SplitList(pve::TextOf(object.value("privs", Value())));
  std::sort(names.begin(), names.end());
  for (const std::string& p : names) privs.push_back(p);
  return std::optional<Decoded>(Decoded{id, Value{{"roleid", id}, {"privs", privs}}});
}

Result<Value> AccessRoleKind::Encode(const Value& body) const {
  return Value{{"privs", pve::JoinList(AccessRolePrivs(body))}};
}

std::vector<std::string> AccessRoleKind::ApiKeys(std::string_view field) const {
  if (field == "privs") return {"privs"};
  return {};
}

Value AccessRoleKind::AsListed(const std::string& name, const Value& read) const {
  // GET /access/roles/{roleid} answers {priv: 1, ...}.
  std::vector<std::string> privs;
  for (auto it = read.begin(); it != read.end(); ++it) privs.push_back(it.key());
  return Value{{"roleid", name}, {"privs", pve::JoinList(privs)}, {"special", 0}};
}

}  // namespace hainfra::providers
