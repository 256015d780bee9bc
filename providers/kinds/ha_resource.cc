#include "providers/kinds/ha_resource.h"

#include <map>
#include <set>

#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/guest_conf.h"
#include "providers/pve/pve_values.h"
#include "providers/pve/section_file.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

constexpr FieldMapping kHaResourceFields[] = {
    {"state", "state"},
    {"group", "group"},
    {"max_restart", "max_restart", Spelling::kInt},
    {"max_relocate", "max_relocate", Spelling::kInt},
    {"failback", "failback", Spelling::kBool},
    {"comment", "comment"},
};

}  // namespace

std::string VmidOfSid(std::string_view sid) {
  if (sid.substr(0, 3) != "vm:" && sid.substr(0, 3) != "ct:") return {};
  return std::string(sid.substr(3));
}

std::optional<Address> GuestOfSid(std::string_view sid) {
  const std::string vmid = VmidOfSid(sid);
  if (vmid.empty()) return std::nullopt;
  return Address{sid.substr(0, 2) == "ct" ? "ct" : "vm", vmid};
}

HaResourceKind::HaResourceKind(transport::ApiClient& api, int pve_major, std::shared_ptr<PmxcfsReader> pmxcfs)
    : SectionKind(KindTraits{.name = "ha_resource", .order = order::kHaResource, .body = SectionBody("ha_resource")},
                  api,
                  pve::SectionEndpoint{.collection = "/cluster/ha/resources",
                                       .id_key = "sid",
                                       .update_digest = true,
                                       .volatile_keys = {"errors"},
                                       .gone_messages = {"not HA managed", "no such resource"}}),
      pve_major_(pve_major) {
  ObserveFromPmxcfs(std::move(pmxcfs));
}

std::vector<Resource> HaResourceKind::Desired(const Spec& spec) const {
  std::vector<Resource> out = SectionObjects(spec, "ha_resource");
  if (pve_major_ < 9) return out;
  // PVE 9 has no groups: a resource's group is membership in the group's node-affinity rule (ha_group), and
  // the group's nofailback becomes the resource's failback — as pve-ha-manager's migration does it.
  std::map<std::string, bool> nofailback;  // declared group -> its nofailback, when written
  for (const Resource* group : spec.OfKind("ha_group")) {
    if (group->absent) continue;
    auto it = group->body.find("nofailback");
    if (it != group->body.end() && it->is_boolean()) nofailback[group->address.name] = it->get<bool>();
  }
  for (Resource& r : out) {
    auto group = r.body.find("group");
    if (group == r.body.end()) continue;
    const std::string name = pve::TextOf(*group);
    r.body.erase(group);
    auto flag = nofailback.find(name);
    if (flag != nofailback.end() && !r.body.contains("failback")) r.body["failback"] = !flag->second;
  }
  return out;
}

Status HaResourceKind::CheckDesired(const std::vector<Resource>& desired) const {
  if (pve_major_ >= 9) return Ok();
  std::string problems;
  for (const Resource& r : desired) {
    if (!r.absent && r.body.contains("failback")) {
      problems += "\n" + Where(r) + r.address.ToString() +
                  ": failback is a PVE 9 setting; on PVE 8 write `nofailback` on the resource's HA group";
    }
  }
  if (problems.empty()) return Ok();
  return Fail(Code::kInvalidArgument, "refused:" + problems);
}

Result<std::optional<SectionKind::Decoded>> HaResourceKind::Decode(const Value& object) const {
  const std::string sid = pve::TextOf(object.value("sid", Value()));
  if (sid.empty()) return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kHaResourceFields);
  if (!body) return Fail(body.error());
  (*body)["sid"] = sid;
  // The defaults pve-ha-manager assumes when a key is absent (read_and_check_resources_config).
  if (!body->contains("state")) (*body)["state"] = "started";
  if (!body->contains("max_restart")) (*body)["max_restart"] = 1;
  if (!body->contains("max_relocate")) (*body)["max_relocate"] = 1;
  if (pve_major_ >= 9 && !body->contains("failback")) (*body)["failback"] = true;
  return std::optional<Decoded>(Decoded{sid, std::move(*body)});
}

std::optional<Result<std::vector<Value>>> HaResourceKind::ListFromPmxcfs(const PmxcfsFiles& files) const {
  // pve-ha-manager's API2::HA::Resources index: every section of resources.cfg with its `sid` (type:name),
  // `type` and the file's `digest`; a group that groups.cfg does not hold gets errors.group; once PVE 9 has
  // migrated the groups to rules (groups.cfg holds none), `group` is not answered.
  static const pve::SectionTypes kHaResourceTypes{{"failback"}, {"max_restart", "max_relocate"}};
  auto text_of = [&](const char* path) {
    auto it = files.files.find(path);
    return it == files.files.end() ? std::string_view() : std::string_view(it->second);
  };
  const std::string_view resources = text_of("ha/resources.cfg");
  std::set<std::string> groups;
  for (const pve::FileSection& g : pve::ParseSectionFile(text_of("ha/groups.cfg"))) {
    if (g.type == "group") groups.insert(g.id);
  }
  const bool groups_migrated = pve_major_ >= 9 && groups.empty();
  const std::string digest = pve::Sha1Hex(resources);
  std::vector<Value> out;
  for (const pve::FileSection& section : pve::ParseSectionFile(resources)) {
    if (section.type != "vm" && section.type != "ct") continue;  // pve-ha-manager knows no other
    Value o = pve::SectionValues(section, kHaResourceTypes);
    o["sid"] = section.type + ":" + section.id;
    o["type"] = section.type;
    o["digest"] = digest;
    if (groups_migrated) o.erase("group");
    if (o.contains("group") && o["group"].is_string() && !groups.contains(o["group"].get<std::string>())) {
      o["errors"]["group"] = "group '" + o["group"].get<std::string>() + "' does not exist";
    }
    out.push_back(std::move(o));
  }
  return Result<std::vector<Value>>(std::move(out));
}

Result<Value> HaResourceKind::Encode(const Value& body) const {
  Value params = pve::EncodeFields(body, kHaResourceFields);
  if (pve_major_ >= 9) params.erase("group");   // refused once groups are rules (handled by ha_group)
  if (pve_major_ < 9) params.erase("failback");  // not in the PVE 8 API (CheckDesired refuses it)
  return params;
}

std::vector<std::string> HaResourceKind::ApiKeys(std::string_view field) const {
  return pve::ApiKeysOf(field, kHaResourceFields);
}

void HaResourceKind::Normalize(Value& body) const {
  SectionKind::Normalize(body);
  if (!body.is_object()) return;
  // "enabled" is the old spelling of "started" (pve-ha-manager reads it so).
  auto state = body.find("state");
  if (state != body.end() && *state == "enabled") *state = "started";
}

StepScope HaResourceKind::Scope(const Value& body) const {
  StepScope scope;
  if (body.is_object()) scope.guest = VmidOfSid(pve::TextOf(body.value("sid", Value())));
  return scope;
}

std::vector<Address> HaResourceKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  if (auto guest = GuestOfSid(pve::TextOf(body.value("sid", Value())))) out.push_back(*guest);
  if (pve_major_ < 9 && body.contains("group")) out.push_back(Address{"ha_group", pve::TextOf(body["group"])});
  return out;
}

}  // namespace hainfra::providers
