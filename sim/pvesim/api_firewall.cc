// The firewall API (pve-firewall's API2::Firewall::*) at its four levels — the cluster (/cluster/firewall),
// a node (/nodes/{node}/firewall), a VM and a container (/nodes/{node}/{qemu,lxc}/{vmid}/firewall): options,
// rules by position (create inserts at the top, disabled unless `enable` is given; `moveto` moves), aliases,
// IP sets with nomatch entries, and the cluster's security groups. Every answer carries the digest of the .fw
// file (firewall_config.h) and every write checks a given one.
#include <cctype>
#include <mutex>
#include <set>

#include "sim/pvesim/api_firewall.h"

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/firewall_config.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/router.h"

namespace pvesim {
namespace {

// The .fw file a call works on; an error when the node or guest does not exist.
Result<std::string> FwFileOf(const Call& c, const std::string& level) {
  if (level == "cluster") return std::string("firewall/cluster.fw");
  const std::string node = c.params.StrOr("node", "");
  if (level == "node") return "nodes/" + node + "/host.fw";
  const int vmid = static_cast<int>(c.params.Int("vmid").value_or(0));
  const std::map<int, std::string> guests = level == "qemu" ? VmList(c.sim) : CtList(c.sim);
  auto it = guests.find(vmid);
  if (it == guests.end() || it->second != node) {
    return Die("Configuration file 'nodes/" + node + (level == "qemu" ? "/qemu-server/" : "/lxc/") +
               std::to_string(vmid) + ".conf' does not exist");
  }
  return "firewall/" + std::to_string(vmid) + ".fw";
}

FwConfig FwReadFw(Simulator& sim, const std::string& file) { return ParseFwConfig(sim.fs().Read(file).value_or("")); }

Status FwWriteFw(Simulator& sim, const std::string& file, const FwConfig& config) {
  return sim.fs().Write(file, WriteFwConfig(config));
}

// "1" -> 1; the rest as text (the API answers integers and booleans as numbers).
json FwTyped(const std::string& text) {
  if (!text.empty() && text.size() < 12 && text.find_first_not_of("0123456789") == std::string::npos) {
    return std::stoll(text);
  }
  return text;
}

// The rule options a call may set (copy_rule_data).
constexpr const char* kFwRuleKeys[] = {"type", "action", "macro", "iface", "source", "dest", "proto",
                                       "dport", "sport", "icmp-type", "log", "enable", "comment"};

// A handful of pve-firewall's macros (the ones the tests and examples use); others are refused.
bool FwKnownMacro(const std::string& name) {
  static const std::set<std::string> kMacros = {"SSH",  "HTTP", "HTTPS", "Ping", "DNS",  "NTP", "SMTP",
                                                "IMAP", "Web",  "Ceph",  "SPICEproxy", "VNC", "Telnet",
                                                "Rsync", "DHCPfwd", "BGP", "SNMP", "MySQL", "PostgreSQL"};
  return kMacros.contains(name);
}

// verify_rule, the parts a client can get wrong.
Status VerifyFwRule(const FwRule& rule, const FwConfig& cluster, const FwConfig& own) {
  const std::string type = rule.value("type", "");
  const std::string action = rule.value("action", "");
  if (type == "group") {
    if (!cluster.groups.contains(action)) return ParamError("action", "no such security group '" + action + "'");
  } else if (action != "ACCEPT" && action != "DROP" && action != "REJECT") {
    return ParamError("action", "unknown action '" + action + "'");
  }
  if (rule.contains("macro") && !FwKnownMacro(rule["macro"].get<std::string>())) {
    return ParamError("macro", "unknown macro '" + rule["macro"].get<std::string>() + "'");
  }
  if ((rule.contains("dport") || rule.contains("sport")) && !rule.contains("proto") && !rule.contains("macro")) {
    return ParamError(rule.contains("dport") ? "dport" : "sport", "protocol required for port specification");
  }
  for (const char* key : {"source", "dest"}) {
    if (!rule.contains(key)) continue;
    std::string addr = rule[key].get<std::string>();
    if (addr.empty()) continue;
    if (addr[0] == '+') {
      std::string name = addr.substr(1);
      if (name.rfind("dc/", 0) == 0 || name.rfind("guest/", 0) == 0) name = name.substr(name.find('/') + 1);
      if (!own.ipsets.contains(name) && !cluster.ipsets.contains(name)) {
        return ParamError(key, "no such ipset '" + name + "'");
      }
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(addr[0])) && addr.find(':') == std::string::npos) {
      std::string name = addr;
      if (name.rfind("dc/", 0) == 0 || name.rfind("guest/", 0) == 0) name = name.substr(name.find('/') + 1);
      std::string lower = name;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (!own.aliases.contains(lower) && !cluster.aliases.contains(lower)) {
        return ParamError(key, "no such alias '" + name + "'");
      }
    }
  }
  return Ok();
}

json FwRuleJson(const FwRule& rule, const std::string& digest, size_t pos) {
  json o = rule;
  o["pos"] = static_cast<int64_t>(pos);
  o["digest"] = digest;
  if (o.contains("enable")) o["enable"] = FwTyped(o["enable"].is_string() ? o["enable"].get<std::string>()
                                                                            : o["enable"].dump());
  return o;
}

// The rule list a call works on: the file's [RULES] or, for /cluster/firewall/groups/{group}, the group's.
Result<std::vector<FwRule>*> FwRulesOf(FwConfig& config, const Call& c) {
  if (!c.params.Has("group")) return &config.rules;
  const std::string group = c.params.StrOr("group", "");
  auto it = config.groups.find(group);
  if (it == config.groups.end()) return Die("no such security group '" + group + "'");
  return &it->second.rules;
}

Result<size_t> FwPosOf(const Call& c, size_t count) {
  const long long pos = c.params.Int("pos").value_or(-1);
  if (pos < 0 || static_cast<size_t>(pos) >= count) return Die("no rule at position " + std::to_string(pos));
  return static_cast<size_t>(pos);
}

void FwCopyRuleData(const Params& p, FwRule& rule) {
  for (const char* key : kFwRuleKeys) {
    if (!p.Has(key)) continue;
    const std::string v = p.StrOr(key, "");
    if (std::string(key) == "enable") rule[key] = FwTyped(v);
    else rule[key] = v;
  }
}

Result<Reply> FwListRules(Call& c, const std::string& level) {
  auto file = FwFileOf(c, level);
  if (!file) return Fail(file.error());
  FwConfig config = FwReadFw(c.sim, *file);
  auto rules = FwRulesOf(config, c);
  if (!rules) return Fail(rules.error());
  json out = json::array();
  for (size_t i = 0; i < (*rules)->size(); ++i) out.push_back(FwRuleJson((**rules)[i], config.digest, i));
  return Reply(out);
}

Result<Reply> FwGetRule(Call& c, const std::string& level) {
  auto file = FwFileOf(c, level);
  if (!file) return Fail(file.error());
  FwConfig config = FwReadFw(c.sim, *file);
  auto rules = FwRulesOf(config, c);
  if (!rules) return Fail(rules.error());
  auto pos = FwPosOf(c, (*rules)->size());
  if (!pos) return Fail(pos.error());
  return Reply(FwRuleJson((**rules)[*pos], config.digest, *pos));
}

// Read-modify-write of one .fw file under the simulator's lock, with the digest check.
template <typename Edit>
Result<Reply> FwEditFw(Call& c, const std::string& level, Edit edit) {
  auto file = FwFileOf(c, level);
  if (!file) return Fail(file.error());
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  std::lock_guard<std::mutex> lock(c.sim.mu());
  FwConfig config = FwReadFw(c.sim, *file);
  if (auto st = AssertDigest(c.params.Str("digest"), config.digest); !st) return Fail(st.error());
  FwConfig cluster = level == "cluster" ? config : FwReadFw(c.sim, "firewall/cluster.fw");
  if (auto st = edit(config, cluster); !st) return Fail(st.error());
  if (auto st = FwWriteFw(c.sim, *file, config); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> FwCreateRule(Call& c, const std::string& level) {
  return FwEditFw(c, level, [&](FwConfig& config, const FwConfig& cluster) -> Status {
    auto rules = FwRulesOf(config, c);
    if (!rules) return Fail(rules.error());
    FwRule rule = json::object();
    FwCopyRuleData(c.params, rule);
    if (auto st = VerifyFwRule(rule, level == "cluster" ? config : cluster, config); !st) return st;
    if (!rule.contains("enable")) rule["enable"] = 0;
    (*rules)->insert((*rules)->begin(), rule);
    return Ok();
  });
}

Result<Reply> FwUpdateRule(Call& c, const std::string& level) {
  return FwEditFw(c, level, [&](FwConfig& config, const FwConfig& cluster) -> Status {
    auto rules = FwRulesOf(config, c);
    if (!rules) return Fail(rules.error());
    auto pos = FwPosOf(c, (*rules)->size());
    if (!pos) return Fail(pos.error());
    std::vector<FwRule>& list = **rules;
    if (auto moveto = c.params.Int("moveto")) {
      // Other arguments are ignored; the rule goes before the one now at `moveto` (the end when past it).
      FwRule rule = list[*pos];
      std::vector<FwRule> moved;
      for (size_t i = 0; i < list.size(); ++i) {
        if (static_cast<long long>(i) == *moveto) moved.push_back(rule);
        if (i != *pos) moved.push_back(list[i]);
      }
      if (*moveto >= static_cast<long long>(list.size())) moved.push_back(rule);
      list = std::move(moved);
      return Ok();
    }
    FwRule rule = list[*pos];
    for (const std::string& key : SplitList(c.params.StrOr("delete", ""))) rule.erase(key);
    FwCopyRuleData(c.params, rule);
    if (auto st = VerifyFwRule(rule, level == "cluster" ? config : cluster, config); !st) return st;
    list[*pos] = rule;
    return Ok();
  });
}

Result<Reply> FwDeleteRule(Call& c, const std::string& level) {
  return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
    auto rules = FwRulesOf(config, c);
    if (!rules) return Fail(rules.error());
    auto pos = FwPosOf(c, (*rules)->size());
    if (!pos) return Fail(pos.error());
    (*rules)->erase((*rules)->begin() + static_cast<long>(*pos));
    return Ok();
  });
}

// The option keys each level accepts (the schema validated the values).
const std::set<std::string>& FwOptionKeys(const std::string& level) {
  static const std::set<std::string> kCluster = {"enable", "policy_in", "policy_out", "policy_forward",
                                                 "log_ratelimit", "ebtables"};
  static const std::set<std::string> kNode = {
      "enable", "log_level_in", "log_level_out", "log_level_forward", "log_nf_conntrack", "ndp",
      "nf_conntrack_allow_invalid", "nf_conntrack_helpers", "nf_conntrack_max",
      "nf_conntrack_tcp_timeout_established", "nf_conntrack_tcp_timeout_syn_recv", "nftables", "nosmurfs",
      "protection_synflood", "protection_synflood_burst", "protection_synflood_rate", "smurf_log_level",
      "tcp_flags_log_level", "tcpflags"};
  static const std::set<std::string> kGuest = {"enable", "dhcp", "ipfilter", "log_level_in", "log_level_out",
                                               "macfilter", "ndp", "policy_in", "policy_out", "radv"};
  return level == "cluster" ? kCluster : level == "node" ? kNode : kGuest;
}

Result<Reply> FwGetOptions(Call& c, const std::string& level) {
  auto file = FwFileOf(c, level);
  if (!file) return Fail(file.error());
  FwConfig config = FwReadFw(c.sim, *file);
  json out = json::object();
  for (auto it = config.options.begin(); it != config.options.end(); ++it) {
    out[it.key()] = FwTyped(it.value().get<std::string>());
  }
  out["digest"] = config.digest;
  return Reply(out);
}

Result<Reply> FwSetOptions(Call& c, const std::string& level) {
  return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
    const std::set<std::string>& keys = FwOptionKeys(level);
    for (const std::string& key : SplitList(c.params.StrOr("delete", ""))) {
      if (!keys.contains(key)) return ParamError("delete", "unknown option '" + key + "'");
      config.options.erase(key);
    }
    for (const std::string& key : c.params.Keys()) {
      if (keys.contains(key)) config.options[key] = c.params.StrOr(key, "");
    }
    return Ok();
  });
}

// --- aliases ---

std::string FwLowerName(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

json FwAliasJson(const FwAlias& a, const std::string& digest) {
  json o = {{"name", a.name}, {"cidr", a.cidr}, {"digest", digest}};
  if (!a.comment.empty()) o["comment"] = a.comment;
  return o;
}

void AddFwAliasRoutes(RouteTable& t, const std::string& prefix, const std::string& level) {
  t.Add("GET", prefix + "/aliases", kNoFlags, [level](Call& c) -> Result<Reply> {
    auto file = FwFileOf(c, level);
    if (!file) return Fail(file.error());
    FwConfig config = FwReadFw(c.sim, *file);
    json out = json::array();
    for (const std::string& key : config.alias_order) out.push_back(FwAliasJson(config.aliases.at(key), config.digest));
    return Reply(out);
  });
  t.Add("POST", prefix + "/aliases", kNoFlags, [level](Call& c) -> Result<Reply> {
    return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
      const std::string name = c.params.StrOr("name", "");
      const std::string key = FwLowerName(name);
      if (config.aliases.contains(key)) return Die("alias '" + name + "' already exists");
      config.aliases[key] = FwAlias{name, c.params.StrOr("cidr", ""), c.params.StrOr("comment", "")};
      config.alias_order.push_back(key);
      return Ok();
    });
  });
  t.Add("GET", prefix + "/aliases/{name}", kNoFlags, [level](Call& c) -> Result<Reply> {
    auto file = FwFileOf(c, level);
    if (!file) return Fail(file.error());
    FwConfig config = FwReadFw(c.sim, *file);
    auto it = config.aliases.find(FwLowerName(c.params.StrOr("name", "")));
    if (it == config.aliases.end()) return Die("no such alias '" + c.params.StrOr("name", "") + "'");
    return Reply(FwAliasJson(it->second, config.digest));
  });
  t.Add("PUT", prefix + "/aliases/{name}", kNoFlags, [level](Call& c) -> Result<Reply> {
    return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
      auto it = config.aliases.find(FwLowerName(c.params.StrOr("name", "")));
      if (it == config.aliases.end()) return Die("no such alias '" + c.params.StrOr("name", "") + "'");
      it->second.cidr = c.params.StrOr("cidr", it->second.cidr);
      it->second.comment = c.params.StrOr("comment", "");
      return Ok();
    });
  });
  t.Add("DELETE", prefix + "/aliases/{name}", kNoFlags, [level](Call& c) -> Result<Reply> {
    return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
      const std::string key = FwLowerName(c.params.StrOr("name", ""));
      config.aliases.erase(key);
      std::erase(config.alias_order, key);
      return Ok();
    });
  });
}

// --- IP sets ---

json FwEntryJson(const FwIpsetEntry& e, const std::string& digest) {
  json o = {{"cidr", e.cidr}, {"digest", digest}};
  if (e.nomatch) o["nomatch"] = 1;
  if (!e.comment.empty()) o["comment"] = e.comment;
  return o;
}

void AddFwIpsetRoutes(RouteTable& t, const std::string& prefix, const std::string& level) {
  t.Add("GET", prefix + "/ipset", kNoFlags, [level](Call& c) -> Result<Reply> {
    auto file = FwFileOf(c, level);
    if (!file) return Fail(file.error());
    FwConfig config = FwReadFw(c.sim, *file);
    json out = json::array();
    for (const std::string& name : config.ipset_order) {
      json o = {{"name", name}, {"digest", config.digest}};
      if (!config.ipsets.at(name).comment.empty()) o["comment"] = config.ipsets.at(name).comment;
      out.push_back(o);
    }
    return Reply(out);
  });
  t.Add("POST", prefix + "/ipset", kNoFlags, [level](Call& c) -> Result<Reply> {
    return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
      const std::string name = c.params.StrOr("name", "");
      if (auto rename = c.params.Str("rename")) {
        auto it = config.ipsets.find(*rename);
        if (it == config.ipsets.end()) return Die("IPSet '" + *rename + "' does not exist");
        it->second.comment = c.params.StrOr("comment", it->second.comment);
        return Ok();
      }
      if (config.ipsets.contains(name)) return Die("IPSet '" + name + "' already exists");
      config.ipsets[name] = FwIpset{c.params.StrOr("comment", ""), {}};
      config.ipset_order.push_back(name);
      return Ok();
    });
  });
  t.Add("GET", prefix + "/ipset/{name}", kNoFlags, [level](Call& c) -> Result<Reply> {
    auto file = FwFileOf(c, level);
    if (!file) return Fail(file.error());
    FwConfig config = FwReadFw(c.sim, *file);
    auto it = config.ipsets.find(c.params.StrOr("name", ""));
    if (it == config.ipsets.end()) return Die("no such IPSet '" + c.params.StrOr("name", "") + "'");
    json out = json::array();
    for (const FwIpsetEntry& e : it->second.entries) out.push_back(FwEntryJson(e, config.digest));
    return Reply(out);
  });
  t.Add("POST", prefix + "/ipset/{name}", kNoFlags, [level](Call& c) -> Result<Reply> {
    return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
      auto it = config.ipsets.find(c.params.StrOr("name", ""));
      if (it == config.ipsets.end()) return Die("no such IPSet '" + c.params.StrOr("name", "") + "'");
      const std::string cidr = c.params.StrOr("cidr", "");
      for (const FwIpsetEntry& e : it->second.entries) {
        if (e.cidr == cidr) return Die("entry '" + cidr + "' already exists");
      }
      it->second.entries.push_back(FwIpsetEntry{cidr, c.params.Bool("nomatch"), c.params.StrOr("comment", "")});
      return Ok();
    });
  });
  t.Add("DELETE", prefix + "/ipset/{name}", kNoFlags, [level](Call& c) -> Result<Reply> {
    return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
      const std::string name = c.params.StrOr("name", "");
      auto it = config.ipsets.find(name);
      if (it == config.ipsets.end()) return Ok();
      if (!it->second.entries.empty() && !c.params.Bool("force")) return Die("IPSet '" + name + "' is not empty");
      config.ipsets.erase(it);
      std::erase(config.ipset_order, name);
      return Ok();
    });
  });
  auto find_entry = [](FwConfig& config, const Call& c) -> Result<std::pair<FwIpset*, size_t>> {
    auto it = config.ipsets.find(c.params.StrOr("name", ""));
    if (it == config.ipsets.end()) return Die("no such IPSet '" + c.params.StrOr("name", "") + "'");
    const std::string cidr = c.params.StrOr("cidr", "");
    for (size_t i = 0; i < it->second.entries.size(); ++i) {
      if (it->second.entries[i].cidr == cidr) return std::make_pair(&it->second, i);
    }
    return Die("no such IP/Network");
  };
  t.Add("GET", prefix + "/ipset/{name}/{cidr}", kNoFlags, [level, find_entry](Call& c) -> Result<Reply> {
    auto file = FwFileOf(c, level);
    if (!file) return Fail(file.error());
    FwConfig config = FwReadFw(c.sim, *file);
    auto found = find_entry(config, c);
    if (!found) return Fail(found.error());
    return Reply(FwEntryJson(found->first->entries[found->second], config.digest));
  });
  t.Add("PUT", prefix + "/ipset/{name}/{cidr}", kNoFlags, [level, find_entry](Call& c) -> Result<Reply> {
    return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
      auto found = find_entry(config, c);
      if (!found) return Fail(found.error());
      FwIpsetEntry& e = found->first->entries[found->second];
      e.nomatch = c.params.Bool("nomatch");
      e.comment = c.params.StrOr("comment", "");
      return Ok();
    });
  });
  t.Add("DELETE", prefix + "/ipset/{name}/{cidr}", kNoFlags, [level, find_entry](Call& c) -> Result<Reply> {
    return FwEditFw(c, level, [&](FwConfig& config, const FwConfig&) -> Status {
      auto found = find_entry(config, c);
      if (!found) return Fail(found.error());
      auto& entries = found->first->entries;
      entries.erase(entries.begin() + static_cast<long>(found->second));
      return Ok();
    });
  });
}

// --- rules and options at one level ---

void AddFwLevelRoutes(RouteTable& t, const std::string& prefix, const std::string& level) {
  // proxyto node as the schema says: a node's options and rules, a guest's options (not its rules).
  const unsigned options = level == "cluster" ? kNoFlags : kProxyNode;
  const unsigned flags = level == "node" ? kProxyNode : kNoFlags;
  t.Add("GET", prefix, kNoFlags, [level](Call&) -> Result<Reply> {
    if (level == "cluster") return Reply(Index({"aliases", "groups", "ipset", "macros", "options", "refs", "rules"}));
    if (level == "node") return Reply(Index({"log", "options", "rules"}));
    return Reply(Index({"aliases", "ipset", "log", "options", "refs", "rules"}));
  });
  t.Add("GET", prefix + "/options", options, [level](Call& c) { return FwGetOptions(c, level); });
  t.Add("PUT", prefix + "/options", options, [level](Call& c) { return FwSetOptions(c, level); });
  t.Add("GET", prefix + "/rules", flags, [level](Call& c) { return FwListRules(c, level); });
  t.Add("POST", prefix + "/rules", flags, [level](Call& c) { return FwCreateRule(c, level); });
  t.Add("GET", prefix + "/rules/{pos}", flags, [level](Call& c) { return FwGetRule(c, level); });
  t.Add("PUT", prefix + "/rules/{pos}", flags, [level](Call& c) { return FwUpdateRule(c, level); });
  t.Add("DELETE", prefix + "/rules/{pos}", flags, [level](Call& c) { return FwDeleteRule(c, level); });
}

void AddFwGroupRoutes(RouteTable& t) {
  const std::string level = "cluster";
  t.Add("GET", "/cluster/firewall/groups", kNoFlags, [](Call& c) -> Result<Reply> {
    FwConfig config = FwReadFw(c.sim, "firewall/cluster.fw");
    json out = json::array();
    for (const std::string& name : config.group_order) {
      json o = {{"group", name}, {"digest", config.digest}};
      if (!config.groups.at(name).comment.empty()) o["comment"] = config.groups.at(name).comment;
      out.push_back(o);
    }
    return Reply(out);
  });
  t.Add("POST", "/cluster/firewall/groups", kNoFlags, [](Call& c) -> Result<Reply> {
    Params p = c.params;
    const std::string name = p.StrOr("group", "");
    const std::optional<std::string> rename = p.Str("rename");
    p.Erase("group");  // not the rule list of a group: the group itself
    Call edit{c.method, c.path, p, c.caller, c.node, c.local, c.sim};
    return FwEditFw(edit, "cluster", [&](FwConfig& config, const FwConfig&) -> Status {
      if (rename) {
        auto it = config.groups.find(*rename);
        if (it == config.groups.end()) return Die("Security group '" + *rename + "' does not exist");
        it->second.comment = c.params.StrOr("comment", it->second.comment);
        return Ok();
      }
      if (config.groups.contains(name)) return Die("Security group '" + name + "' already exists");
      config.groups[name] = FwGroup{c.params.StrOr("comment", ""), {}};
      config.group_order.push_back(name);
      return Ok();
    });
  });
  t.Add("GET", "/cluster/firewall/groups/{group}", kNoFlags, [level](Call& c) { return FwListRules(c, level); });
  t.Add("POST", "/cluster/firewall/groups/{group}", kNoFlags, [level](Call& c) { return FwCreateRule(c, level); });
  t.Add("DELETE", "/cluster/firewall/groups/{group}", kNoFlags, [](Call& c) -> Result<Reply> {
    const std::string name = c.params.StrOr("group", "");
    Params p = c.params;
    p.Erase("group");
    Call edit{c.method, c.path, p, c.caller, c.node, c.local, c.sim};
    return FwEditFw(edit, "cluster", [&](FwConfig& config, const FwConfig&) -> Status {
      auto it = config.groups.find(name);
      if (it == config.groups.end()) return Ok();
      if (!it->second.rules.empty()) return Die("security group '" + name + "' is not empty");
      config.groups.erase(it);
      std::erase(config.group_order, name);
      return Ok();
    });
  });
  t.Add("GET", "/cluster/firewall/groups/{group}/{pos}", kNoFlags, [level](Call& c) { return FwGetRule(c, level); });
  t.Add("PUT", "/cluster/firewall/groups/{group}/{pos}", kNoFlags, [level](Call& c) { return FwUpdateRule(c, level); });
  t.Add("DELETE", "/cluster/firewall/groups/{group}/{pos}", kNoFlags,
        [level](Call& c) { return FwDeleteRule(c, level); });
}

}  // namespace

void AddFirewallRoutes(RouteTable& t) {
  AddFwLevelRoutes(t, "/cluster/firewall", "cluster");
  AddFwAliasRoutes(t, "/cluster/firewall", "cluster");
  AddFwIpsetRoutes(t, "/cluster/firewall", "cluster");
  AddFwGroupRoutes(t);
  AddFwLevelRoutes(t, "/nodes/{node}/firewall", "node");
  for (const char* type : {"qemu", "lxc"}) {
    const std::string prefix = std::string("/nodes/{node}/") + type + "/{vmid}/firewall";
    AddFwLevelRoutes(t, prefix, type);
    AddFwAliasRoutes(t, prefix, type);
    AddFwIpsetRoutes(t, prefix, type);
  }
}

}  // namespace pvesim
