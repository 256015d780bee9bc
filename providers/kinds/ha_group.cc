#include "providers/kinds/ha_group.h"

#include <algorithm>
#include <map>
#include <set>

#include "providers/kinds/ha_rule.h"
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

constexpr FieldMapping kGroupFields[] = {
    {"nodes", "nodes", Spelling::kNodes},
    {"restricted", "restricted", Spelling::kBool},
    {"nofailback", "nofailback", Spelling::kBool},
    {"comment", "comment"},
};

constexpr std::string_view kRulePrefix = "ha-group-";

std::vector<Address> NodeReferences(const Value& body) {
  std::vector<Address> out;
  const Value& nodes = body.is_object() ? body.value("nodes", Value::object()) : Value::object();
  if (!nodes.is_object()) return out;
  for (auto it = nodes.begin(); it != nodes.end(); ++it) out.push_back(Address{"node", it.key()});
  return out;
}

// The PVE 9 group body: the section's fields plus the derived `resources` (order-free).
FieldSpec GroupRuleBody() {
  FieldSpec body = SectionBody("ha_group");
  FieldSpec resources;
  resources.name = "resources";
  resources.type = FieldType::kList;
  resources.doc = "the HA resources naming this group (derived: the members of its node-affinity rule)";
  resources.set = true;
  FieldSpec sid;
  sid.name = "sid";
  resources.element.push_back(sid);
  body.fields.push_back(std::move(resources));
  return body;
}

}  // namespace

// ---- PVE 8 ----

std::optional<Result<std::vector<Value>>> HaGroupKind::ListFromPmxcfs(const PmxcfsFiles& files) const {
  // pve-ha-manager's API2::HA::Groups index: every section of groups.cfg with `group`, `type` and the file's
  // `digest`.
  static const pve::SectionTypes kHaGroupTypes{{"restricted", "nofailback"}, {}};
  auto it = files.files.find("ha/groups.cfg");
  const std::string_view text = it == files.files.end() ? std::string_view() : std::string_view(it->second);
  const std::string digest = pve::Sha1Hex(text);
  std::vector<Value> out;
  for (const pve::FileSection& section : pve::ParseSectionFile(text)) {
    if (section.type != "group") continue;
    Value o = pve::SectionValues(section, kHaGroupTypes);
    o["group"] = section.id;
    o["type"] = section.type;
    o["digest"] = digest;
    out.push_back(std::move(o));
  }
  return Result<std::vector<Value>>(std::move(out));
}


HaGroupKind::HaGroupKind(transport::ApiClient& api, std::shared_ptr<PmxcfsReader> pmxcfs)
    : SectionKind(KindTraits{.name = "ha_group", .order = order::kHaPlacement, .body = SectionBody("ha_group")}, api,
                  pve::SectionEndpoint{.collection = "/cluster/ha/groups",
                                       .id_key = "group",
                                       .update_digest = true,
                                       .volatile_keys = {},
                                       .gone_messages = {"no such ha group", "does not exist"}}) {
  ObserveFromPmxcfs(std::move(pmxcfs));
}

Result<std::optional<SectionKind::Decoded>> HaGroupKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("group", Value()));
  if (id.empty() || object.value("type", "group") != "group") return std::optional<Decoded>();
  Result<Value> body = pve::DecodeFields(object, kGroupFields);
  if (!body) return Fail(body.error());
  (*body)["name"] = id;
  if (!body->contains("restricted")) (*body)["restricted"] = false;
  if (!body->contains("nofailback")) (*body)["nofailback"] = false;
  return std::optional<Decoded>(Decoded{id, std::move(*body)});
}

Result<Value> HaGroupKind::Encode(const Value& body) const { return pve::EncodeFields(body, kGroupFields); }

std::vector<std::string> HaGroupKind::ApiKeys(std::string_view field) const {
  return pve::ApiKeysOf(field, kGroupFields);
}

std::vector<Address> HaGroupKind::References(const Value& body) const { return NodeReferences(body); }

// ---- PVE 9 ----

HaGroupRuleKind::HaGroupRuleKind(transport::ApiClient& api, std::shared_ptr<PmxcfsReader> pmxcfs)
    : SectionKind(KindTraits{.name = "ha_group", .order = ha_rules::OrderFor(9), .body = GroupRuleBody()}, api,
                  pve::SectionEndpoint{.collection = "/cluster/ha/rules",
                                       .id_key = "rule",
                                       .update_digest = true,
                                       .volatile_keys = {"errors", "order"},
                                       .gone_messages = {"no such ha rule", "does not exist"}}) {
  ObserveFromPmxcfs(std::move(pmxcfs));
}

std::optional<Result<std::vector<Value>>> HaGroupRuleKind::ListFromPmxcfs(const PmxcfsFiles& files) const {
  // The list call's filter (ListQuery: type=node-affinity) applied to the rules the file holds.
  std::optional<Result<std::vector<Value>>> rules = ha_rules::RulesFromPmxcfs(files);
  if (!rules || !*rules) return rules;
  std::erase_if(**rules, [](const Value& rule) { return rule.value("type", "") != "node-affinity"; });
  return rules;
}

std::string HaGroupRuleKind::RuleId(const std::string& group) { return std::string(kRulePrefix) + group; }

std::vector<Resource> HaGroupRuleKind::Desired(const Spec& spec) const {
  std::map<std::string, std::set<std::string>> members;  // group -> sids naming it
  for (const Resource* r : spec.OfKind("ha_resource")) {
    if (r->absent) continue;
    auto group = r->body.find("group");
    if (group != r->body.end()) members[pve::TextOf(*group)].insert(r->address.name);
  }
  std::vector<Resource> out;
  for (Resource& group : SectionObjects(spec, "ha_group")) {
    if (!group.absent) {
      auto it = members.find(group.address.name);
      if (it == members.end()) continue;  // no resource: no rule (a node-affinity rule needs resources)
      group.body.erase("nofailback");     // moved to the resources' failback (ha_resource.cc)
      group.body["resources"] = Value(std::vector<std::string>(it->second.begin(), it->second.end()));
    }
    out.push_back(std::move(group));
  }
  return out;
}

Result<std::optional<SectionKind::Decoded>> HaGroupRuleKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("rule", Value()));
  if (id.rfind(kRulePrefix, 0) != 0 || id.size() == kRulePrefix.size()) return std::optional<Decoded>();
  if (object.value("type", "") != "node-affinity") return std::optional<Decoded>();
  Result<Value> rule = ha_rules::DecodeRule(object);
  if (!rule) return Fail(rule.error());
  const std::string name = id.substr(kRulePrefix.size());
  Value body = {{"name", name}, {"restricted", rule->value("strict", false)}};
  for (const char* key : {"nodes", "comment", "resources"}) {
    if (rule->contains(key)) body[key] = (*rule)[key];
  }
  return std::optional<Decoded>(Decoded{name, std::move(body)});
}

Result<Value> HaGroupRuleKind::Encode(const Value& body) const {
  Value rule = {{"type", "node-affinity"}};
  for (const char* key : {"nodes", "comment", "resources"}) {
    if (body.contains(key)) rule[key] = body[key];
  }
  if (body.contains("restricted")) rule["strict"] = body["restricted"];
  return ha_rules::EncodeRule(rule);
}

std::vector<std::string> HaGroupRuleKind::ApiKeys(std::string_view field) const {
  if (field == "restricted") return {"strict"};
  if (field == "nodes" || field == "comment" || field == "resources") return {std::string(field)};
  return {};
}

Value HaGroupRuleKind::UpdateExtras(const Value& body) const {
  (void)body;
  return Value{{"type", "node-affinity"}};
}

std::vector<Address> HaGroupRuleKind::References(const Value& body) const {
  return ha_rules::RuleReferences(body);
}

}  // namespace hainfra::providers
