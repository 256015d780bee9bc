#include "providers/kinds/ha_rule.h"

#include <cctype>
#include <set>

#include "providers/kinds/ha_resource.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/guest_conf.h"
#include "providers/pve/pve_values.h"
#include "providers/pve/section_file.h"

namespace hainfra::providers {
namespace ha_rules {
namespace {

using pve::FieldMapping;
using pve::Spelling;

constexpr FieldMapping kRuleFields[] = {
    {"type", "type"},
    {"resources", "resources", Spelling::kList},
    {"nodes", "nodes", Spelling::kNodes},
    {"strict", "strict", Spelling::kBool},
    {"affinity", "affinity"},
    {"disable", "disable", Spelling::kBool},
    {"comment", "comment"},
};

// PVE::JSONSchema's pve-configid: a letter, then letters, digits, '_' or '-' (at least two characters).
bool HaRuleConfigId(std::string_view id) {
  if (id.size() < 2 || !std::isalpha(static_cast<unsigned char>(id[0]))) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace

int OrderFor(int pve_major) { return pve_major >= 9 ? order::kHaRuleAfterResources : order::kHaPlacement; }

Result<Value> DecodeRule(const Value& object) {
  Result<Value> rule = pve::DecodeFields(object, kRuleFields);
  if (!rule) return Fail(rule.error());
  if (rule->value("type", "") == "node-affinity" && !rule->contains("strict")) (*rule)["strict"] = false;
  if (!rule->contains("disable")) (*rule)["disable"] = false;
  return rule;
}

Value EncodeRule(const Value& rule) {
  Value params = pve::EncodeFields(rule, kRuleFields);
  auto disable = params.find("disable");
  if (disable != params.end() && disable->is_boolean() && !disable->get<bool>()) params.erase(disable);
  return params;
}

std::vector<std::string> RuleApiKeys(std::string_view field) { return pve::ApiKeysOf(field, kRuleFields); }

std::vector<Address> RuleReferences(const Value& body) {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  for (const std::string& sid : pve::StringsOf(body.value("resources", Value::array()))) {
    out.push_back(Address{"ha_resource", sid});
    if (auto guest = GuestOfSid(sid)) out.push_back(*guest);
  }
  const Value& nodes = body.value("nodes", Value::object());
  if (nodes.is_object()) {
    for (auto it = nodes.begin(); it != nodes.end(); ++it) out.push_back(Address{"node", it.key()});
  }
  return out;
}

std::optional<Result<std::vector<Value>>> RulesFromPmxcfs(const PmxcfsFiles& files) {
  auto text_of = [&](const char* path) {
    auto it = files.files.find(path);
    return it == files.files.end() ? std::string_view() : std::string_view(it->second);
  };
  for (const pve::FileSection& g : pve::ParseSectionFile(text_of("ha/groups.cfg"))) {
    if (g.type == "group") return std::nullopt;  // not migrated yet: the API lists them as rules as well
  }
  static const pve::SectionTypes kRuleTypes{{"strict", "disable"}, {}};
  const std::string_view text = text_of("ha/rules.cfg");
  const std::string digest = pve::Sha1Hex(text);
  std::vector<Value> out;
  int64_t order = 0;
  for (const pve::FileSection& section : pve::ParseSectionFile(text)) {
    std::string type = section.type;
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (type != "node-affinity" && type != "resource-affinity") continue;
    if (!HaRuleConfigId(section.id)) continue;
    ++order;  // SectionConfig numbers the sections it keeps, from 1
    Value o = pve::SectionValues(section, kRuleTypes);
    o["rule"] = section.id;
    o["type"] = type;
    o["digest"] = digest;
    o["order"] = order;
    if (auto it = o.find("resources"); it != o.end() && it->is_string()) {
      const std::vector<std::string> listed = pve::SplitList(it->get<std::string>());
      const std::set<std::string> sorted(listed.begin(), listed.end());
      *it = pve::JoinList(std::vector<std::string>(sorted.begin(), sorted.end()));
    }
    if (auto it = o.find("nodes"); it != o.end() && it->is_string()) {
      Result<std::map<std::string, int64_t>> nodes = pve::ParseNodePriorities(it->get<std::string>());
      if (!nodes) return Result<std::vector<Value>>(Fail(WithContext(nodes.error(), "ha/rules.cfg: " + section.id + ": nodes")));
      Value map = Value::object();
      for (const auto& [node, priority] : *nodes) map[node] = priority;
      *it = pve::FormatNodePriorities(map);
    }
    out.push_back(std::move(o));
  }
  return Result<std::vector<Value>>(std::move(out));
}

}  // namespace ha_rules

HaRuleKind::HaRuleKind(transport::ApiClient& api, int pve_major, std::shared_ptr<PmxcfsReader> pmxcfs)
    : SectionKind(KindTraits{.name = "ha_rule", .order = ha_rules::OrderFor(pve_major), .body = SectionBody("ha_rule")},
                  api,
                  pve::SectionEndpoint{.collection = "/cluster/ha/rules",
                                       .id_key = "rule",
                                       .update_digest = true,
                                       .volatile_keys = {"errors", "order"},
                                       .gone_messages = {"no such ha rule", "does not exist"}}),
      pve_major_(pve_major) {
  ObserveFromPmxcfs(std::move(pmxcfs));
}

Status HaRuleKind::CheckDesired(const std::vector<Resource>& desired) const {
  if (pve_major_ >= 9) return Ok();
  std::string problems;
  for (const Resource& r : desired) {
    if (r.absent) continue;
    problems += "\n" + Where(r) + r.address.ToString() +
                ": PVE 8 has no HA rules (they arrived with PVE 9); on PVE 8 place resources with ha.groups";
  }
  if (problems.empty()) return Ok();
  return Fail(Code::kInvalidArgument, "refused:" + problems);
}

bool HaRuleKind::NeedsList(const std::vector<Resource>& desired) const {
  (void)desired;
  return pve_major_ >= 9;  // /cluster/ha/rules does not exist before PVE 9
}

Result<std::optional<SectionKind::Decoded>> HaRuleKind::Decode(const Value& object) const {
  const std::string id = pve::TextOf(object.value("rule", Value()));
  if (id.empty()) return std::optional<Decoded>();
  Result<Value> rule = ha_rules::DecodeRule(object);
  if (!rule) return Fail(rule.error());
  (*rule)["name"] = id;
  return std::optional<Decoded>(Decoded{id, std::move(*rule)});
}

Result<Value> HaRuleKind::Encode(const Value& body) const { return ha_rules::EncodeRule(body); }

std::vector<std::string> HaRuleKind::ApiKeys(std::string_view field) const { return ha_rules::RuleApiKeys(field); }

Value HaRuleKind::UpdateExtras(const Value& body) const {
  // PUT /cluster/ha/rules/{rule} requires the rule's type (its options depend on it).
  return Value{{"type", body.value("type", "")}};
}

std::vector<Address> HaRuleKind::References(const Value& body) const { return ha_rules::RuleReferences(body); }

std::optional<Result<std::vector<Value>>> HaRuleKind::ListFromPmxcfs(const PmxcfsFiles& files) const {
  return ha_rules::RulesFromPmxcfs(files);
}

}  // namespace hainfra::providers
