#include "engine/enforce/rules.h"

#include <algorithm>

#include "engine/enforce/field_path.h"
#include "engine/spec/suggest.h"
#include "schemas/sections.h"

namespace hainfra::enforce {
namespace {

std::string RulesStr(const Value& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

const Value& RulesList(const Value& body, const char* key) {
  static const Value kEmpty = Value::array();
  auto it = body.find(key);
  return it != body.end() && it->is_array() ? *it : kEmpty;
}

Mode RulesMode(const std::string& text) { return text == "warn" ? Mode::kWarn : Mode::kCorrect; }

std::vector<std::string> RulesKindNames() {
  std::vector<std::string> names;
  for (const schemas::PlanKind& k : schemas::PlanKinds()) names.push_back(k.kind);
  return names;
}

// The body of a kind's objects as the spec writes them; nullptr for kinds derived from part of a section.
const FieldSpec* RulesBodyOf(const std::string& kind) {
  for (const schemas::PlanKind& k : schemas::PlanKinds()) {
    if (k.kind == kind && k.section == kind) return &schemas::FindSection(kind)->item;
  }
  return nullptr;
}

Selector ReadSelector(const Value& item, const std::string& at, std::vector<RuleProblem>& problems) {
  Selector s;
  s.kind = RulesStr(item, "kind");
  s.name = RulesStr(item, "name");
  s.address = RulesStr(item, "address");
  for (const Value& tag : RulesList(item, "tags")) {
    if (tag.is_string()) s.tags.push_back(tag.get<std::string>());
  }
  if (!s.kind.empty()) {
    const std::vector<std::string> kinds = RulesKindNames();
    if (std::find(kinds.begin(), kinds.end(), s.kind) == kinds.end()) {
      std::string list;
      for (const std::string& k : kinds) list += (list.empty() ? "" : ", ") + k;
      std::string hint = spec::DidYouMean(s.kind, kinds);
      problems.push_back({at + "/kind", "unknown kind `" + s.kind + "`" + (hint.empty() ? " (kinds: " + list + ")" : hint)});
    }
  }
  if (!s.address.empty()) {
    const size_t slash = s.address.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == s.address.size()) {
      problems.push_back({at + "/address", "`" + s.address + "` is not an address glob KIND/NAME (e.g. vm/web-*)"});
    }
  }
  if (s.Specificity() == 0) {
    problems.push_back({at, "selects nothing: give a kind, name, address or tags"});
  }
  return s;
}

}  // namespace

std::string RuleField(const std::string& pointer) {
  std::string out = "enforcement";
  size_t i = 0;
  while (i < pointer.size()) {
    const size_t next = pointer.find('/', i + 1);
    const std::string part = pointer.substr(i + 1, next == std::string::npos ? std::string::npos : next - i - 1);
    const bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    out += index ? "[" + part + "]" : "." + part;
    i = next == std::string::npos ? pointer.size() : next;
  }
  return out;
}

int Selector::Specificity() const {
  if (!tags.empty()) return 3;
  if (!name.empty() || !address.empty()) return 2;
  return kind.empty() ? 0 : 1;
}

bool Selector::Matches(const Address& target, const Resource* desired) const {
  if (!kind.empty() && target.kind != kind) return false;
  if (!address.empty() && !GlobMatch(address, target.ToString())) return false;
  if (!name.empty()) {
    const bool by_name = desired != nullptr && desired->body.is_object() && desired->body.contains("name") &&
                         desired->body["name"].is_string() && GlobMatch(name, desired->body["name"].get<std::string>());
    if (!GlobMatch(name, target.name) && !by_name) return false;
  }
  if (!tags.empty()) {
    if (desired == nullptr || !desired->body.is_object()) return false;
    const Value& have = desired->body.contains("tags") ? desired->body["tags"] : Value();
    if (!have.is_array()) return false;
    for (const std::string& tag : tags) {
      if (std::find(have.begin(), have.end(), Value(tag)) == have.end()) return false;
    }
  }
  return true;
}

std::string Selector::Describe() const {
  std::string out = !address.empty() ? address : !name.empty() ? (kind.empty() ? "*" : kind) + "/" + name : kind;
  if (!tags.empty()) {
    std::string list;
    for (const std::string& t : tags) list += (list.empty() ? "" : ",") + t;
    out += (out.empty() ? "" : " ") + std::string("tagged ") + list;
  }
  return kind.empty() || !address.empty() || !name.empty() || !tags.empty() ? out : "kind " + out;
}

Policy::Rules ReadRules(const Value& body, std::vector<RuleProblem>& problems) {
  Policy::Rules rules;
  if (!body.is_object()) return rules;
  rules.mode = RulesMode(RulesStr(body, "mode"));

  const Value& overrides = RulesList(body, "overrides");
  for (size_t i = 0; i < overrides.size(); ++i) {
    const std::string at = "/overrides/" + std::to_string(i);
    if (!overrides[i].is_object()) continue;
    rules.overrides.push_back({ReadSelector(overrides[i], at, problems), RulesMode(RulesStr(overrides[i], "mode"))});
  }

  const Value& ignore = RulesList(body, "ignore");
  for (size_t i = 0; i < ignore.size(); ++i) {
    const std::string at = "/ignore/" + std::to_string(i);
    if (!ignore[i].is_object()) continue;
    IgnoreRule rule{ReadSelector(ignore[i], at, problems), {}};
    const FieldSpec* kind_body = rule.selector.kind.empty() ? nullptr : RulesBodyOf(rule.selector.kind);
    const Value& fields = RulesList(ignore[i], "fields");
    if (fields.empty()) problems.push_back({at + "/fields", "name at least one field path (e.g. memory)"});
    for (size_t f = 0; f < fields.size(); ++f) {
      if (!fields[f].is_string()) continue;
      const std::string path = fields[f].get<std::string>();
      std::vector<PathSegment> segments;
      std::string error;
      if (!SplitFieldPath(path, segments, error)) {
        problems.push_back({at + "/fields/" + std::to_string(f), "bad field path `" + path + "`: " + error});
        continue;
      }
      if (kind_body != nullptr) {
        error = CheckFieldPath(path, *kind_body);
        if (!error.empty()) {
          problems.push_back({at + "/fields/" + std::to_string(f), rule.selector.kind + " field path `" + path +
                                                                        "`: " + error});
          continue;
        }
      }
      rule.fields.push_back(path);
    }
    rules.ignore.push_back(std::move(rule));
  }

  const Value& windows = RulesList(body, "windows");
  for (size_t i = 0; i < windows.size(); ++i) {
    const std::string at = "/windows/" + std::to_string(i);
    const Value& item = windows[i];
    if (!item.is_object()) continue;
    Window w;
    w.name = RulesStr(item, "name");
    const bool allow = item.contains("allow"), deny = item.contains("deny");
    if (allow == deny) {
      problems.push_back({at, "window `" + w.name + "`: write exactly one of `allow: CALENDAR` and `deny: CALENDAR`"});
      continue;
    }
    w.allow = allow;
    w.calendar = RulesStr(item, allow ? "allow" : "deny");
    Result<Calendar> calendar = Calendar::Parse(w.calendar);
    if (!calendar) {
      problems.push_back({at + (allow ? "/allow" : "/deny"), calendar.error().message});
      continue;
    }
    w.parsed = *calendar;
    const std::string zone = item.contains("timezone") ? RulesStr(item, "timezone") : "UTC";
    Result<TimeZone> tz = TimeZone::Load(zone);
    if (!tz) {
      problems.push_back({at + "/timezone", tz.error().message});
      continue;
    }
    w.zone = *tz;
    rules.windows.push_back(std::move(w));
  }
  for (size_t i = 0; i < windows.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (RulesStr(windows[i], "name") == RulesStr(windows[j], "name") && !RulesStr(windows[i], "name").empty()) {
        problems.push_back({"/windows/" + std::to_string(i) + "/name",
                            "window `" + RulesStr(windows[i], "name") + "` is named twice"});
      }
    }
  }

  if (body.contains("limits") && body["limits"].is_object()) {
    const Value& limits = body["limits"];
    if (limits.contains("max_objects") && limits["max_objects"].is_number_integer()) {
      rules.max_objects = limits["max_objects"].get<int>();
    }
    rules.node_level_never = RulesStr(limits, "node_level") == "never";
  }
  return rules;
}

}  // namespace hainfra::enforce
