#include "providers/kinds/firewall_rules.h"

#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

// spec key <-> API key of the rule options that are plain text.
constexpr std::pair<const char*, const char*> kFirewallRuleKeys[] = {
    {"type", "type"},     {"action", "action"}, {"macro", "macro"}, {"iface", "iface"},
    {"source", "source"}, {"dest", "dest"},     {"proto", "proto"}, {"dport", "dport"},
    {"sport", "sport"},   {"icmp_type", "icmp-type"}, {"log", "log"}, {"comment", "comment"},
};

// The API parameters writing `rule` whole; `remove` gets the keys it leaves unset.
Value FirewallRuleParams(const Value& rule, std::vector<std::string>* remove) {
  Value params = Value::object();
  for (const auto& [spec, api] : kFirewallRuleKeys) {
    if (rule.contains(spec)) params[api] = pve::TextOf(rule[spec]);
    else if (remove != nullptr && std::string(spec) != "type" && std::string(spec) != "action") remove->push_back(api);
  }
  params["enable"] = rule.value("enable", true) ? 1 : 0;
  return params;
}

std::string FirewallRulePath(const std::string& path, size_t pos) { return path + "/" + std::to_string(pos); }

}  // namespace

Value DecodeFirewallRule(const Value& rule) {
  Value out = Value::object();
  for (const auto& [spec, api] : kFirewallRuleKeys) {
    if (rule.contains(api) && !pve::TextOf(rule[api]).empty()) out[spec] = pve::TextOf(rule[api]);
  }
  out["enable"] = pve::FlagOf(rule, "enable");
  NormalizeFirewallRule(out);
  return out;
}

void NormalizeFirewallRule(Value& rule) {
  if (!rule.is_object()) return;
  if (!rule.contains("type")) rule["type"] = "in";
  if (!rule.contains("enable")) rule["enable"] = true;
  if (rule.contains("log") && rule["log"] == "nolog") rule.erase("log");
  if (rule.contains("comment") && pve::TextOf(rule["comment"]).empty()) rule.erase("comment");
}

void NormalizeFirewallRules(Value& body) {
  if (!body.is_object() || !body.contains("rules") || !body["rules"].is_array()) return;
  for (Value& rule : body["rules"]) NormalizeFirewallRule(rule);
}

Result<FirewallRuleList> ReadFirewallRules(transport::ApiClient& api, const std::string& path) {
  Result<Value> answer = api.Get(path);
  if (!answer) return Fail(answer.error());
  FirewallRuleList out;
  for (const Value& rule : answer->is_array() ? *answer : Value::array()) {
    out.rules.push_back(DecodeFirewallRule(rule));
    if (rule.contains("digest")) out.digest = pve::TextOf(rule["digest"]);
  }
  return out;
}

std::vector<FirewallRuleOp> PlanFirewallRuleOps(std::vector<Value> current, const std::vector<Value>& desired) {
  std::vector<FirewallRuleOp> ops;
  auto wanted_later = [&](const Value& rule, size_t from) {
    for (size_t k = from; k < desired.size(); ++k) {
      if (desired[k] == rule) return true;
    }
    return false;
  };
  for (size_t i = 0; i < desired.size(); ++i) {
    if (i < current.size() && current[i] == desired[i]) continue;
    size_t found = current.size();
    for (size_t j = i + 1; j < current.size(); ++j) {
      if (current[j] == desired[i]) {
        found = j;
        break;
      }
    }
    if (found < current.size()) {  // already there, further down: move it up (moveto i lands it at i)
      ops.push_back({FirewallRuleOp::kMove, found, i, Value()});
      Value rule = current[found];
      current.erase(current.begin() + static_cast<long>(found));
      current.insert(current.begin() + static_cast<long>(i), rule);
      continue;
    }
    if (i < current.size() && !wanted_later(current[i], i + 1)) {  // changed in place: keeps its position
      ops.push_back({FirewallRuleOp::kUpdate, i, i, desired[i]});
      current[i] = desired[i];
      continue;
    }
    // New: Proxmox inserts at the top; moving position 0 to i + 1 lands it at i.
    ops.push_back({FirewallRuleOp::kInsert, 0, i, desired[i]});
    current.insert(current.begin() + static_cast<long>(i), desired[i]);
  }
  for (size_t k = current.size(); k > desired.size(); --k) ops.push_back({FirewallRuleOp::kDelete, k - 1, 0, Value()});
  return ops;
}

Status SyncFirewallRules(transport::ApiClient& api, const std::string& path, const std::vector<Value>& desired) {
  Result<FirewallRuleList> now = ReadFirewallRules(api, path);
  if (!now) return Fail(now.error());
  std::string digest = now->digest;
  for (const FirewallRuleOp& op : PlanFirewallRuleOps(now->rules, desired)) {
    Value params = Value::object();
    if (!digest.empty()) params["digest"] = digest;
    Result<Value> done;
    switch (op.kind) {
      case FirewallRuleOp::kMove:
        params["moveto"] = static_cast<int64_t>(op.target);
        done = api.Put(FirewallRulePath(path, op.pos), params);
        break;
      case FirewallRuleOp::kUpdate: {
        std::vector<std::string> remove;
        Value update = FirewallRuleParams(op.rule, &remove);
        update.update(params);
        if (!remove.empty()) update["delete"] = pve::JoinList(remove);
        done = api.Put(FirewallRulePath(path, op.pos), update);
        break;
      }
      case FirewallRuleOp::kInsert: {
        Value create = FirewallRuleParams(op.rule, nullptr);
        create.update(params);
        done = api.Post(path, create);
        if (!done) break;
        if (op.target != 0) {
          Result<FirewallRuleList> after = ReadFirewallRules(api, path);
          if (!after) return Fail(after.error());
          done = api.Put(FirewallRulePath(path, 0),
                         Value{{"moveto", static_cast<int64_t>(op.target + 1)}, {"digest", after->digest}});
        }
        break;
      }
      case FirewallRuleOp::kDelete:
        done = api.Delete(FirewallRulePath(path, op.pos), params);
        break;
    }
    if (!done) return Fail(WithContext(done.error(), path));
    Result<FirewallRuleList> after = ReadFirewallRules(api, path);
    if (!after) return Fail(after.error());
    digest = after->digest;
  }
  return Ok();
}

}  // namespace hainfra::providers
