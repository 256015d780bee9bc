#include "engine/spec/firewall_lockout.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <sstream>

namespace hainfra::spec {
namespace {

enum class FwMatch { kNo = 0, kMaybe = 1, kYes = 2 };

FwMatch FwBoth(FwMatch a, FwMatch b) { return std::min(a, b); }

struct FwV4Net {
  uint32_t base = 0;
  int prefix = 32;
  uint32_t Mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  uint32_t First() const { return base & Mask(); }
  uint32_t Last() const { return First() | ~Mask(); }
};

std::optional<FwV4Net> ParseFwV4Net(const std::string& text) {
  FwV4Net net;
  std::string addr = text;
  if (size_t slash = text.find('/'); slash != std::string::npos) {
    addr = text.substr(0, slash);
    const std::string p = text.substr(slash + 1);
    if (p.empty() || p.size() > 2 || p.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    net.prefix = std::stoi(p);
    if (net.prefix > 32) return std::nullopt;
  }
  std::istringstream in(addr);
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    std::string part;
    if (!std::getline(in, part, '.') || part.empty() || part.size() > 3 ||
        part.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    const int octet = std::stoi(part);
    if (octet > 255) return std::nullopt;
    value = (value << 8) | static_cast<uint32_t>(octet);
  }
  std::string rest;
  if (std::getline(in, rest)) return std::nullopt;
  net.base = value;
  return net;
}

// How `source` relates to the address set `spec` (addresses, networks, lists, aliases, +ipsets).
FwMatch FirewallSourceIn(const FirewallModel& model, const std::string& spec, const FwV4Net& source, int depth = 0) {
  if (spec.empty()) return FwMatch::kYes;
  if (depth > 4) return FwMatch::kMaybe;
  std::string text = spec;
  const bool ipset = text[0] == '+';
  if (ipset) text = text.substr(1);
  if (text.rfind("dc/", 0) == 0) text = text.substr(3);
  if (ipset) {
    if (!model.ipsets.contains(text)) return FwMatch::kMaybe;
    FwMatch best = FwMatch::kNo;
    bool exceptions = false;
    for (const Value& e : model.ipsets[text]) {
      const FwMatch m = FirewallSourceIn(model, e.value("cidr", ""), source, depth + 1);
      if (e.value("nomatch", false)) exceptions = exceptions || m != FwMatch::kNo;
      else best = std::max(best, m);
    }
    return exceptions && best == FwMatch::kYes ? FwMatch::kMaybe : best;
  }
  if (text.find(',') != std::string::npos) {
    FwMatch best = FwMatch::kNo;
    std::istringstream in(text);
    for (std::string part; std::getline(in, part, ',');) best = std::max(best, FirewallSourceIn(model, part, source, depth + 1));
    return best;
  }
  if (text.find('-') != std::string::npos || text.find(':') != std::string::npos) return FwMatch::kMaybe;
  if (std::isalpha(static_cast<unsigned char>(text[0]))) {
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!model.aliases.contains(lower)) return FwMatch::kMaybe;
    return FirewallSourceIn(model, model.aliases[lower].get<std::string>(), source, depth + 1);
  }
  std::optional<FwV4Net> net = ParseFwV4Net(text);
  if (!net) return FwMatch::kMaybe;
  if (source.First() >= net->First() && source.Last() <= net->Last()) return FwMatch::kYes;
  if (source.Last() < net->First() || source.First() > net->Last()) return FwMatch::kNo;
  return FwMatch::kMaybe;
}

// The port a /etc/services name stands for (the few that matter here); -1 unknown.
int FirewallServicePort(const std::string& name) {
  if (name == "ssh") return 22;
  if (name == "http" || name == "www") return 80;
  if (name == "https") return 443;
  return -1;
}

FwMatch FirewallPortIn(const std::string& spec, int port) {
  FwMatch best = FwMatch::kNo;
  std::istringstream in(spec);
  for (std::string part; std::getline(in, part, ',');) {
    const size_t colon = part.find(':');
    auto number = [](const std::string& s) {
      if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) return std::stoi(s);
      return FirewallServicePort(s);
    };
    const int low = number(colon == std::string::npos ? part : part.substr(0, colon));
    const int high = colon == std::string::npos ? low : number(part.substr(colon + 1));
    if (low < 0 || high < 0) best = std::max(best, FwMatch::kMaybe);
    else if (port >= low && port <= high) return FwMatch::kYes;
  }
  return best;
}

// proto and dport of the macros a rule may name (tcp only; others never carry SSH or the API).
FwMatch FirewallMacroMatch(const std::string& macro, int port) {
  if (macro == "SSH") return port == 22 ? FwMatch::kYes : FwMatch::kNo;
  if (macro == "HTTP") return port == 80 ? FwMatch::kYes : FwMatch::kNo;
  if (macro == "HTTPS") return port == 443 ? FwMatch::kYes : FwMatch::kNo;
  if (macro == "Web") return port == 80 || port == 443 ? FwMatch::kYes : FwMatch::kNo;
  if (macro == "Ping" || macro == "DNS" || macro == "NTP" || macro == "DHCPfwd" || macro == "Telnet" ||
      macro == "SMTP" || macro == "IMAP" || macro == "BGP" || macro == "SNMP" || macro == "MySQL" ||
      macro == "PostgreSQL" || macro == "Rsync" || macro == "SPICEproxy" || macro == "VNC") {
    return FwMatch::kNo;
  }
  return FwMatch::kMaybe;  // a macro this model does not know
}

FwMatch FirewallRuleMatches(const FirewallModel& model, const FirewallNodeView& node, const Value& rule, const FwV4Net& source,
                  int port) {
  FwMatch m = FwMatch::kYes;
  const std::string macro = rule.value("macro", "");
  if (!macro.empty()) m = FwBoth(m, FirewallMacroMatch(macro, port));
  const std::string proto = rule.value("proto", "");
  if (!proto.empty() && proto != "tcp" && proto != "6") return FwMatch::kNo;
  if (rule.contains("dport")) m = FwBoth(m, FirewallPortIn(rule.value("dport", ""), port));
  if (rule.contains("sport")) m = FwBoth(m, FwMatch::kMaybe);
  if (rule.contains("icmp_type")) return FwMatch::kNo;
  if (rule.contains("iface")) {
    const std::string iface = rule.value("iface", "");
    if (node.management_iface.empty()) m = FwBoth(m, FwMatch::kMaybe);
    else if (iface != node.management_iface) return FwMatch::kNo;
  }
  if (rule.contains("source")) m = FwBoth(m, FirewallSourceIn(model, rule.value("source", ""), source));
  if (rule.contains("dest")) {
    std::optional<FwV4Net> host = ParseFwV4Net(node.address);
    m = FwBoth(m, host ? FirewallSourceIn(model, rule.value("dest", ""), *host) : FwMatch::kMaybe);
  }
  return m;
}

struct FirewallWalk {
  const FirewallModel& model;
  const FirewallNodeView& node;
  const FwV4Net& source;
  int port;
  std::optional<FirewallVerdict> decided;

  // Walks `rules` (list `name`); a group insert walks the group in place, restricted by the insert's iface.
  void Rules(const Value& rules, const std::string& name, FwMatch outer, const std::string& outer_list,
             size_t outer_index) {
    for (size_t i = 0; i < rules.size() && !decided; ++i) {
      const Value& rule = rules[i];
      if (!rule.value("enable", true)) continue;
      const std::string type = rule.value("type", "in");
      const std::string list = outer_list.empty() ? name : outer_list;
      const size_t index = outer_list.empty() ? i : outer_index;
      if (type == "group") {
        const std::string group = rule.value("action", "");
        FwMatch insert = outer;
        if (rule.contains("iface")) {
          insert = FwBoth(insert, node.management_iface.empty() ? FwMatch::kMaybe
                                : rule.value("iface", "") == node.management_iface ? FwMatch::kYes
                                                                                    : FwMatch::kNo);
        }
        if (insert == FwMatch::kNo) continue;
        if (!model.groups.contains(group)) {  // undeclared: it may drop anything
          decided = FirewallVerdict{false, list, index, "GROUP " + group};
          return;
        }
        Rules(model.groups[group], "group:" + group, insert, list, index);
        continue;
      }
      if (type != "in") continue;
      const FwMatch m = FwBoth(outer, FirewallRuleMatches(model, node, rule, source, port));
      if (m == FwMatch::kNo) continue;
      const std::string action = rule.value("action", "");
      if (action == "ACCEPT") {
        if (m == FwMatch::kYes) decided = FirewallVerdict{true, list, index, action};
        continue;
      }
      decided = FirewallVerdict{false, name, i, action};
    }
  }
};

}  // namespace

FirewallVerdict JudgeFirewall(const FirewallModel& model, const FirewallNodeView& node, const std::string& source,
                              int port) {
  std::optional<FwV4Net> from = ParseFwV4Net(source);
  if (!from) return FirewallVerdict{true, "", 0, ""};  // IPv6 management networks are not modelled
  FirewallWalk walk{model, node, *from, port, std::nullopt};
  walk.Rules(node.rules, "node", FwMatch::kYes, "", 0);
  if (!walk.decided) walk.Rules(model.cluster_rules, "cluster", FwMatch::kYes, "", 0);
  if (walk.decided) return *walk.decided;
  // pve-firewall accepts SSH and the API from the management IP set (the local network when undeclared).
  const FwMatch management = model.ipsets.contains("management") ? FirewallSourceIn(model, "+management", *from)
                           : node.local_network.empty()        ? FwMatch::kNo
                                                               : FirewallSourceIn(model, node.local_network, *from);
  if (management == FwMatch::kYes) return FirewallVerdict{true, "management", 0, "ACCEPT"};
  if (model.policy_in == "ACCEPT") return FirewallVerdict{true, "", 0, "ACCEPT"};
  return FirewallVerdict{false, "", 0, model.policy_in};
}

}  // namespace hainfra::spec
