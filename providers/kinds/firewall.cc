#include "providers/kinds/firewall.h"

#include <algorithm>
#include <cstdlib>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/firewall_rules.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_kind.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/field_map.h"
#include "providers/pve/pve_values.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

using pve::FieldMapping;
using pve::Spelling;

constexpr FieldMapping kFirewallClusterOptions[] = {
    {"enable", "enable", Spelling::kBool},     {"policy_in", "policy_in"},
    {"policy_out", "policy_out"},              {"ebtables", "ebtables", Spelling::kBool},
};
constexpr FieldMapping kFirewallNodeOptions[] = {
    {"enable", "enable", Spelling::kBool},
    {"log_level_in", "log_level_in"},
    {"log_level_out", "log_level_out"},
    {"ndp", "ndp", Spelling::kBool},
    {"nosmurfs", "nosmurfs", Spelling::kBool},
    {"tcpflags", "tcpflags", Spelling::kBool},
    {"nf_conntrack_max", "nf_conntrack_max", Spelling::kInt},
    {"protection_synflood", "protection_synflood", Spelling::kBool},
};
constexpr FieldMapping kFirewallGuestOptions[] = {
    {"enable", "enable", Spelling::kBool},   {"policy_in", "policy_in"},
    {"policy_out", "policy_out"},            {"dhcp", "dhcp", Spelling::kBool},
    {"ipfilter", "ipfilter", Spelling::kBool}, {"macfilter", "macfilter", Spelling::kBool},
    {"ndp", "ndp", Spelling::kBool},         {"radv", "radv", Spelling::kBool},
    {"log_level_in", "log_level_in"},        {"log_level_out", "log_level_out"},
};

pve::FieldTable FirewallOptionTable(FirewallLevel level) {
  switch (level) {
    case FirewallLevel::kCluster: return kFirewallClusterOptions;
    case FirewallLevel::kNode: return kFirewallNodeOptions;
    case FirewallLevel::kGuest: return kFirewallGuestOptions;
  }
  return {};
}

// pve-firewall's defaults of each level (the API schema's, and the policies it applies when none is set).
const Value& FirewallDefaults(FirewallLevel level) {
  static const Value kCluster = {{"enable", false},
                                 {"policy_in", "DROP"},
                                 {"policy_out", "ACCEPT"},
                                 {"ebtables", true},
                                 {"log_ratelimit", {{"enable", true}, {"rate", "1/second"}, {"burst", 5}}}};
  static const Value kNode = {
      {"enable", true}, {"ndp", true}, {"nf_conntrack_max", 262144}, {"protection_synflood", false}};
  static const Value kGuest = {{"enable", false}, {"policy_in", "DROP"}, {"policy_out", "ACCEPT"},
                               {"dhcp", false},   {"macfilter", true},   {"ndp", true}};
  return level == FirewallLevel::kCluster ? kCluster : level == FirewallLevel::kNode ? kNode : kGuest;
}

const char* FirewallKindName(FirewallLevel level) {
  return level == FirewallLevel::kCluster ? "firewall_cluster"
         : level == FirewallLevel::kNode  ? "firewall_node"
                                          : "firewall_guest";
}

int FirewallOrder(FirewallLevel level) {
  return level == FirewallLevel::kCluster ? order::kFirewallCluster
         : level == FirewallLevel::kNode  ? order::kFirewallNode
                                          : order::kFirewallGuest;
}

// "enable=1,burst=5,rate=1/second" -> {enable, burst, rate}.
Value DecodeRateLimit(const std::string& text) {
  Value out = Value::object();
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = part.find('=');
    std::string key = eq == std::string::npos ? "enable" : part.substr(0, eq);
    std::string value = eq == std::string::npos ? part : part.substr(eq + 1);
    if (key == "enable") out["enable"] = value == "1";
    else if (key == "burst") out["burst"] = std::stoll(value.empty() ? "0" : value);
    else if (key == "rate") out["rate"] = value;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string EncodeRateLimit(const Value& limit) {
  std::string out = std::string("enable=") + (limit.value("enable", true) ? "1" : "0");
  if (limit.contains("burst")) out += ",burst=" + pve::TextOf(limit["burst"]);
  if (limit.contains("rate")) out += ",rate=" + pve::TextOf(limit["rate"]);
  return out;
}

// Read once at construction: tests and impatient operators shorten it (HAINFRA_FIREWALL_CONFIRM_SECONDS).
std::chrono::milliseconds FirewallConfirmTimeout() {
  const char* text = std::getenv("HAINFRA_FIREWALL_CONFIRM_SECONDS");
  if (text != nullptr) {
    char* end = nullptr;
    const double seconds = std::strtod(text, &end);
    if (end != text && seconds > 0) return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  }
  return std::chrono::seconds(30);
}

bool IsFirewallOption(const std::string& field) { return field != "rules" && field != "management"; }

}  // namespace

FirewallLevelKind::FirewallLevelKind(KindDeps& deps, FirewallLevel level)
    : traits_{.name = FirewallKindName(level),
              .order = FirewallOrder(level),
              .body = SectionBody(FirewallKindName(level)),
              .commit = level == FirewallLevel::kGuest ? CommitScope::kNone : CommitScope::kGlobal},
      deps_(deps),
      level_(level),
      confirm_timeout_(FirewallConfirmTimeout()) {}

std::vector<Resource> FirewallLevelKind::Desired(const Spec& spec) const {
  return SectionObjects(spec, traits_.name);
}

Value FirewallLevelKind::DecodeOptions(FirewallLevel level, const Value& answer) {
  Result<Value> decoded = pve::DecodeFields(answer, FirewallOptionTable(level));
  Value body = decoded ? *decoded : Value::object();
  const Value& defaults = FirewallDefaults(level);
  if (level == FirewallLevel::kCluster) {
    Value limit = defaults["log_ratelimit"];
    if (answer.contains("log_ratelimit")) limit.update(DecodeRateLimit(pve::TextOf(answer["log_ratelimit"])));
    body["log_ratelimit"] = limit;
  }
  for (auto it = defaults.begin(); it != defaults.end(); ++it) {
    if (!body.contains(it.key())) body[it.key()] = it.value();
  }
  return body;
}

Value FirewallLevelKind::EncodeOptions(FirewallLevel level, const Value& desired,
                                       const std::vector<std::string>& fields) {
  Value all = pve::EncodeFields(desired, FirewallOptionTable(level));
  Value params = Value::object();
  std::vector<std::string> remove;
  for (const std::string& field : fields) {
    if (field == "log_ratelimit" && desired.contains(field)) {
      params["log_ratelimit"] = EncodeRateLimit(desired[field]);
      continue;
    }
    for (const std::string& key : pve::ApiKeysOf(field, FirewallOptionTable(level))) {
      if (all.contains(key)) params[key] = all[key];
      else remove.push_back(key);
    }
  }
  if (!remove.empty()) params["delete"] = pve::JoinList(remove);
  return params;
}

Result<std::string> FirewallLevelKind::BaseOf(const std::string& name) const {
  if (level_ == FirewallLevel::kCluster) return std::string("/cluster/firewall");
  if (level_ == FirewallLevel::kNode) return transport::ApiPath({"nodes", name, "firewall"});
  Result<Value> guests = deps_.api->Get("/cluster/resources", Value{{"type", "vm"}});
  if (!guests) return Fail(guests.error());
  for (const Value& g : guests->is_array() ? *guests : Value::array()) {
    if (pve::TextOf(g.value("vmid", Value())) != name) continue;
    const std::string type = g.value("type", "qemu");
    return transport::ApiPath({"nodes", g.value("node", ""), type, name, "firewall"});
  }
  return Fail(Code::kNotFound, "guest " + name + " does not exist");
}

Result<Value> FirewallLevelKind::Read(const std::string& name) const {
  Result<std::string> base = BaseOf(name);
  if (!base) return Fail(base.error());
  Result<Value> options = deps_.api->Get(*base + "/options");
  if (!options) return Fail(WithContext(options.error(), *base));
  Value body = DecodeOptions(level_, *options);
  Result<FirewallRuleList> rules = ReadFirewallRules(*deps_.api, *base + "/rules");
  if (!rules) return Fail(WithContext(rules.error(), *base));
  body["rules"] = Value::array();
  for (Value& r : rules->rules) body["rules"].push_back(std::move(r));
  if (level_ == FirewallLevel::kNode) body["node"] = name;
  if (level_ == FirewallLevel::kGuest) body["vmid"] = std::stoll(name);
  return body;
}

Result<std::vector<Observed>> FirewallLevelKind::Observe(const std::vector<Resource>& desired) {
  std::vector<Observed> out;
  if (desired.empty()) return out;
  if (level_ != FirewallLevel::kGuest) {
    Result<Value> nodes = deps_.api->Get("/nodes");
    if (!nodes) return Fail(WithContext(nodes.error(), "nodes"));
    std::lock_guard<std::mutex> lock(mu_);
    nodes_.clear();
    for (const Value& n : nodes->is_array() ? *nodes : Value::array()) nodes_.push_back(n.value("node", ""));
  }
  for (const Resource& r : desired) {
    if (level_ == FirewallLevel::kNode &&
        std::find(nodes_.begin(), nodes_.end(), r.address.name) == nodes_.end()) {
      continue;  // not a member yet
    }
    Result<Value> body = Read(r.address.name);
    if (!body && body.error().code == Code::kNotFound) continue;  // a guest the plan creates
    if (!body) return Fail(body.error());
    Observed o;
    o.address = Address{traits_.name, r.address.name};
    o.version = plan::Fingerprint(*body);
    o.body = std::move(*body);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<Observed>> FirewallLevelKind::ObserveAll() {
  std::vector<Resource> all;
  auto add = [&](const std::string& name) {
    Resource r;
    r.address = Address{traits_.name, name};
    all.push_back(r);
  };
  if (level_ == FirewallLevel::kCluster) {
    add("firewall_cluster");
  } else {
    Result<Value> list = level_ == FirewallLevel::kNode ? deps_.api->Get("/nodes")
                                                        : deps_.api->Get("/cluster/resources", Value{{"type", "vm"}});
    if (!list) return Fail(list.error());
    for (const Value& v : list->is_array() ? *list : Value::array()) {
      add(level_ == FirewallLevel::kNode ? v.value("node", "") : pve::TextOf(v.value("vmid", Value())));
    }
  }
  Result<std::vector<Observed>> observed = Observe(all);
  if (!observed || level_ == FirewallLevel::kCluster) return observed;
  // Only the nodes and guests whose firewall is set up: options or rules beyond the defaults.
  std::vector<Observed> out;
  for (Observed& o : *observed) {
    bool set_up = !o.body.value("rules", Value::array()).empty();
    const Value& defaults = FirewallDefaults(level_);
    for (auto it = defaults.begin(); it != defaults.end(); ++it) set_up = set_up || o.body[it.key()] != it.value();
    if (set_up) out.push_back(std::move(o));
  }
  return out;
}

void FirewallLevelKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  body.erase("state");
  NormalizeFirewallRules(body);
}

StepScope FirewallLevelKind::Scope(const Value& body) const {
  if (level_ == FirewallLevel::kGuest && body.contains("vmid")) return StepScope{"", pve::TextOf(body["vmid"])};
  return {};
}

std::vector<Address> FirewallLevelKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  if (level_ == FirewallLevel::kNode && body.contains("node")) out.push_back(Address{"node", pve::TextOf(body["node"])});
  if (level_ == FirewallLevel::kGuest && body.contains("vmid")) {
    out.push_back(Address{"vm", pve::TextOf(body["vmid"])});
    out.push_back(Address{"ct", pve::TextOf(body["vmid"])});
  }
  for (const Value& rule : body.value("rules", Value::array())) {
    if (rule.value("type", "") == "group") out.push_back(Address{"firewall_group", rule.value("action", "")});
    for (const char* key : {"source", "dest"}) {
      std::string addr = rule.value(key, "");
      if (addr.empty()) continue;
      if (addr.rfind("+dc/", 0) == 0) addr = "+" + addr.substr(4);
      if (addr.rfind("dc/", 0) == 0) addr = addr.substr(3);
      if (addr[0] == '+') out.push_back(Address{"firewall_ipset", addr.substr(1)});
      else if (std::isalpha(static_cast<unsigned char>(addr[0])) && addr.find(':') == std::string::npos)
        out.push_back(Address{"firewall_alias", addr});
    }
  }
  return out;
}

Status FirewallLevelKind::Write(const std::string& name, const Value& desired_in,
                                const std::vector<std::string>& fields) {
  Value desired = desired_in;
  Normalize(desired);
  Result<std::string> base = BaseOf(name);
  if (!base) return Fail(base.error());
  std::vector<std::string> options;
  for (const std::string& f : fields) {
    if (IsFirewallOption(f) && f != "node" && f != "vmid") options.push_back(f);
  }
  if (!options.empty()) {
    Value params = EncodeOptions(level_, desired, options);
    Result<Value> current = deps_.api->Get(*base + "/options");
    if (!current) return Fail(WithContext(current.error(), *base));
    if (current->contains("digest")) params["digest"] = (*current)["digest"];
    if (params.size() > (params.contains("digest") ? 1u : 0u)) {
      Result<Value> put = deps_.api->Put(*base + "/options", params);
      if (!put) return Fail(WithContext(put.error(), *base + "/options"));
    }
  }
  if (std::find(fields.begin(), fields.end(), "rules") != fields.end()) {
    std::vector<Value> rules;
    for (const Value& r : desired.value("rules", Value::array())) rules.push_back(r);
    if (Status st = SyncFirewallRules(*deps_.api, *base + "/rules", rules); !st) return st;
  }
  return Ok();
}

Status FirewallLevelKind::Keep(const std::string& name) {
  if (level_ == FirewallLevel::kGuest) return Ok();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (kept_.contains(name)) return Ok();
  }
  Result<Value> now = Read(name);
  if (!now) return Fail(now.error());
  if (deps_.ssh != nullptr && !armed_on_) {
    if (Status st = ArmDeadMan(); !st) {
      return Fail(WithContext(st.error(), "could not arm the firewall rollback before the change; nothing applied"));
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  kept_.emplace(name, std::move(*now));
  return Ok();
}

Status FirewallLevelKind::Create(const Change& change) { return Update(change); }

Status FirewallLevelKind::Update(const Change& change) {
  const std::string& name = change.address.name;
  if (Status st = Keep(name); !st) return Fail(WithContext(st.error(), change.address.ToString()));
  std::vector<std::string> fields = ChangedFields(change);
  if (change.action == Action::kCreate) {
    fields.clear();
    for (auto it = change.after.begin(); it != change.after.end(); ++it) fields.push_back(it.key());
  }
  if (Status st = Write(name, change.after, fields); !st) return Fail(WithContext(st.error(), change.address.ToString()));
  return Ok();
}

Status FirewallLevelKind::Delete(const Change& change) {
  return Fail(Code::kFailedPrecondition, change.address.ToString() +
                                             ": a firewall level is never deleted; write `enable: false` and "
                                             "the rules it should keep");
}

}  // namespace hainfra::providers
