#include "providers/kinds/firewall_objects.h"

#include <set>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/firewall_rules.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/pve_values.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

constexpr const char* kFirewallIpsetPath = "/cluster/firewall/ipset";
constexpr const char* kFirewallGroupPath = "/cluster/firewall/groups";

bool FirewallSetGone(const Error& error) {
  return error.message.find("no such") != std::string::npos ||
         error.message.find("does not exist") != std::string::npos;
}

}  // namespace

FirewallAliasKind::FirewallAliasKind(transport::ApiClient& api)
    : SectionKind(KindTraits{.name = "firewall_alias", .order = order::kFirewallAlias,
                             .body = SectionBody("firewall_alias")},
                  api,
                  pve::SectionEndpoint{.collection = "/cluster/firewall/aliases",
                                       .id_key = "name",
                                       .update_digest = true,
                                       .volatile_keys = {"digest"},
                                       .gone_messages = {"no such alias"}}) {}

Result<std::optional<SectionKind::Decoded>> FirewallAliasKind::Decode(const Value& object) const {
  const std::string name = pve::TextOf(object.value("name", Value()));
  if (name.empty()) return std::optional<Decoded>();
  Value body = {{"name", name}, {"cidr", pve::TextOf(object.value("cidr", Value()))}};
  if (!pve::TextOf(object.value("comment", Value())).empty()) body["comment"] = object["comment"];
  return std::optional<Decoded>(Decoded{name, std::move(body)});
}

Result<Value> FirewallAliasKind::Encode(const Value& body) const {
  return Value{{"cidr", pve::TextOf(body.value("cidr", Value()))}, {"comment", body.value("comment", "")}};
}

std::vector<std::string> FirewallAliasKind::ApiKeys(std::string_view field) const {
  if (field == "cidr" || field == "comment") return {std::string(field)};
  return {};
}

Value FirewallAliasKind::UpdateExtras(const Value& body) const {
  return Value{{"cidr", pve::TextOf(body.value("cidr", Value()))}};
}

FirewallSetKind::FirewallSetKind(transport::ApiClient& api, What what)
    : traits_{.name = what == What::kIpset ? "firewall_ipset" : "firewall_group",
              .order = what == What::kIpset ? order::kFirewallIpset : order::kFirewallGroup,
              .body = SectionBody(what == What::kIpset ? "firewall_ipset" : "firewall_group")},
      api_(api),
      what_(what) {}

std::vector<Resource> FirewallSetKind::Desired(const Spec& spec) const { return SectionObjects(spec, traits_.name); }

Result<std::vector<Observed>> FirewallSetKind::ObserveNamed(const std::vector<std::string>& names, bool all) {
  const char* base = what_ == What::kIpset ? kFirewallIpsetPath : kFirewallGroupPath;
  const char* key = what_ == What::kIpset ? "name" : "group";
  Result<Value> list = api_.Get(base);
  if (!list) return Fail(WithContext(list.error(), base));
  std::vector<Observed> out;
  for (const Value& item : list->is_array() ? *list : Value::array()) {
    const std::string name = pve::TextOf(item.value(key, Value()));
    if (!all && std::find(names.begin(), names.end(), name) == names.end()) continue;
    Value body = {{"name", name}};
    if (!pve::TextOf(item.value("comment", Value())).empty()) body["comment"] = item["comment"];
    const std::string path = transport::ApiPath({"cluster", "firewall", what_ == What::kIpset ? "ipset" : "groups", name});
    if (what_ == What::kIpset) {
      Result<Value> entries = api_.Get(path);
      if (!entries) return Fail(WithContext(entries.error(), path));
      body["entries"] = Value::array();
      for (const Value& e : entries->is_array() ? *entries : Value::array()) {
        Value entry = {{"cidr", pve::TextOf(e.value("cidr", Value()))}, {"nomatch", pve::FlagOf(e, "nomatch")}};
        if (!pve::TextOf(e.value("comment", Value())).empty()) entry["comment"] = e["comment"];
        body["entries"].push_back(entry);
      }
    } else {
      Result<FirewallRuleList> rules = ReadFirewallRules(api_, path);
      if (!rules) return Fail(WithContext(rules.error(), path));
      body["rules"] = Value::array();
      for (Value& r : rules->rules) body["rules"].push_back(std::move(r));
    }
    Observed o;
    o.address = Address{traits_.name, name};
    o.version = plan::Fingerprint(body);
    o.body = std::move(body);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<Observed>> FirewallSetKind::Observe(const std::vector<Resource>& desired) {
  if (desired.empty()) return std::vector<Observed>();
  std::vector<std::string> names;
  for (const Resource& r : desired) names.push_back(r.address.name);
  return ObserveNamed(names, false);
}

Result<std::vector<Observed>> FirewallSetKind::ObserveAll() { return ObserveNamed({}, true); }

void FirewallSetKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  auto state = body.find("state");
  if (state != body.end() && (*state == "present" || *state == "absent")) body.erase(state);
  if (body.contains("comment") && pve::TextOf(body["comment"]).empty()) body.erase("comment");
  NormalizeFirewallRules(body);
  if (body.contains("entries") && body["entries"].is_array()) {
    for (Value& e : body["entries"]) {
      if (!e.contains("nomatch")) e["nomatch"] = false;
      if (e.contains("comment") && pve::TextOf(e["comment"]).empty()) e.erase("comment");
    }
  }
}

std::vector<Address> FirewallSetKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  for (const Value& e : body.value("entries", Value::array())) {
    const std::string cidr = e.value("cidr", "");
    if (!cidr.empty() && std::isalpha(static_cast<unsigned char>(cidr[0])) && cidr.find(':') == std::string::npos) {
      out.push_back(Address{"firewall_alias", cidr.rfind("dc/", 0) == 0 ? cidr.substr(3) : cidr});
    }
  }
  for (const Value& rule : body.value("rules", Value::array())) {
    for (const char* key : {"source", "dest"}) {
      std::string addr = rule.value(key, "");
      if (addr.rfind("+dc/", 0) == 0) addr = "+" + addr.substr(4);
      if (!addr.empty() && addr[0] == '+') out.push_back(Address{"firewall_ipset", addr.substr(1)});
      else if (!addr.empty() && std::isalpha(static_cast<unsigned char>(addr[0])) && addr.find(':') == std::string::npos)
        out.push_back(Address{"firewall_alias", addr.rfind("dc/", 0) == 0 ? addr.substr(3) : addr});
    }
  }
  return out;
}

Status FirewallSetKind::SyncEntries(const std::string& name, const Value& desired) {
  const std::string path = transport::ApiPath({"cluster", "firewall", "ipset", name});
  Result<Value> now = api_.Get(path);
  if (!now) return Fail(WithContext(now.error(), path));
  std::map<std::string, Value> have;
  for (const Value& e : now->is_array() ? *now : Value::array()) have[pve::TextOf(e.value("cidr", Value()))] = e;
  std::set<std::string> wanted;
  for (const Value& e : desired.value("entries", Value::array())) {
    const std::string cidr = e.value("cidr", "");
    wanted.insert(cidr);
    Value params = {{"nomatch", e.value("nomatch", false) ? 1 : 0}, {"comment", e.value("comment", "")}};
    auto it = have.find(cidr);
    if (it == have.end()) {
      params["cidr"] = cidr;
      if (Result<Value> r = api_.Post(path, params); !r) return Fail(WithContext(r.error(), path));
      continue;
    }
    const bool same = pve::FlagOf(it->second, "nomatch") == e.value("nomatch", false) &&
                      pve::TextOf(it->second.value("comment", Value())) == e.value("comment", "");
    if (same) continue;
    params["digest"] = it->second.value("digest", "");
    if (Result<Value> r = api_.Put(transport::ApiPath({"cluster", "firewall", "ipset", name, cidr}), params); !r) {
      return Fail(WithContext(r.error(), path));
    }
  }
  for (const auto& [cidr, e] : have) {
    if (wanted.contains(cidr)) continue;
    if (Result<Value> r = api_.Delete(transport::ApiPath({"cluster", "firewall", "ipset", name, cidr})); !r) {
      return Fail(WithContext(r.error(), path));
    }
  }
  return Ok();
}

Status FirewallSetKind::Create(const Change& change) {
  const std::string& name = change.address.name;
  const char* base = what_ == What::kIpset ? kFirewallIpsetPath : kFirewallGroupPath;
  Value params = {{what_ == What::kIpset ? "name" : "group", name}};
  if (change.after.contains("comment")) params["comment"] = change.after["comment"];
  if (Result<Value> r = api_.Post(base, params); !r) return Fail(WithContext(r.error(), change.address.ToString()));
  return Update(change);
}

Status FirewallSetKind::Update(const Change& change) {
  const std::string& name = change.address.name;
  Value desired = change.after;
  Normalize(desired);
  const std::vector<std::string> fields = ChangedFields(change);
  auto changed = [&](const char* f) {
    return change.action == Action::kCreate || std::find(fields.begin(), fields.end(), f) != fields.end();
  };
  const char* base = what_ == What::kIpset ? kFirewallIpsetPath : kFirewallGroupPath;
  if (changed("comment") && change.action != Action::kCreate) {
    // Both collections change a comment through POST with `rename` set to the current name.
    Value params = {{what_ == What::kIpset ? "name" : "group", name}, {"rename", name},
                    {"comment", desired.value("comment", "")}};
    if (Result<Value> r = api_.Post(base, params); !r) return Fail(WithContext(r.error(), change.address.ToString()));
  }
  if (what_ == What::kIpset && changed("entries")) {
    if (Status st = SyncEntries(name, desired); !st) return Fail(WithContext(st.error(), change.address.ToString()));
  }
  if (what_ == What::kGroup && changed("rules")) {
    std::vector<Value> rules;
    for (const Value& r : desired.value("rules", Value::array())) rules.push_back(r);
    if (Status st = SyncFirewallRules(api_, transport::ApiPath({"cluster", "firewall", "groups", name}), rules); !st) {
      return Fail(WithContext(st.error(), change.address.ToString()));
    }
  }
  return Ok();
}

Status FirewallSetKind::Delete(const Change& change) {
  const std::string& name = change.address.name;
  const std::string path =
      transport::ApiPath({"cluster", "firewall", what_ == What::kIpset ? "ipset" : "groups", name});
  if (what_ == What::kGroup) {  // Proxmox deletes only an empty group
    if (Status st = SyncFirewallRules(api_, path, {}); !st && !FirewallSetGone(st.error())) return st;
  }
  Value params = Value::object();
  if (what_ == What::kIpset) params["force"] = 1;
  Result<Value> r = api_.Delete(path, params);
  if (!r && !FirewallSetGone(r.error())) return Fail(WithContext(r.error(), change.address.ToString()));
  return Ok();
}

}  // namespace hainfra::providers
