#include "sim/pvesim/firewall_config.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "sim/pvesim/section_config.h"

namespace pvesim {
namespace {

std::string FwTrim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

std::string FwLower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string FwUpper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// "text # comment" -> ("text", "comment").
std::pair<std::string, std::string> FwSplitComment(const std::string& line) {
  size_t hash = line.find('#');
  if (hash == std::string::npos) return {FwTrim(line), ""};
  return {FwTrim(line.substr(0, hash)), FwTrim(line.substr(hash + 1))};
}

// The rule options in the order pve-firewall writes them, with their flags.
constexpr std::pair<const char*, const char*> kFwRuleFlags[] = {
    {"iface", "-i"},  {"source", "-source"},       {"dest", "-dest"}, {"proto", "-p"},
    {"dport", "-dport"}, {"sport", "-sport"}, {"icmp-type", "-icmp-type"}, {"log", "-log"},
};

std::string FwScalar(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  return v.dump();
}

}  // namespace

std::optional<FwRule> ParseFwRule(const std::string& raw) {
  auto [line, comment] = FwSplitComment(raw);
  if (line.empty()) return std::nullopt;
  FwRule rule = nlohmann::json::object();
  rule["enable"] = 1;
  if (line[0] == '|') {
    rule["enable"] = 0;
    line = FwTrim(line.substr(1));
  }
  std::istringstream in(line);
  std::string type, action;
  if (!(in >> type >> action)) return std::nullopt;
  rule["type"] = FwLower(type);
  if (size_t open = action.find('('); open != std::string::npos && action.back() == ')') {
    rule["macro"] = action.substr(0, open);
    rule["action"] = action.substr(open + 1, action.size() - open - 2);
  } else {
    rule["action"] = action;
  }
  std::string flag, value;
  while (in >> flag) {
    if (!(in >> value)) return std::nullopt;
    bool known = false;
    for (const auto& [key, f] : kFwRuleFlags) {
      if (flag == f) {
        rule[key] = value;
        known = true;
      }
    }
    if (!known) return std::nullopt;
  }
  if (!comment.empty()) rule["comment"] = comment;
  return rule;
}

std::string FwRuleLine(const FwRule& rule) {
  std::string line;
  if (rule.contains("enable") && FwScalar(rule["enable"]) == "0") line += "|";
  line += FwUpper(rule.value("type", "in")) + " ";
  const std::string action = rule.value("action", "");
  line += rule.contains("macro") ? rule["macro"].get<std::string>() + "(" + action + ")" : action;
  for (const auto& [key, flag] : kFwRuleFlags) {
    if (rule.contains(key)) line += std::string(" ") + flag + " " + FwScalar(rule[key]);
  }
  if (rule.contains("comment") && !rule["comment"].get<std::string>().empty()) {
    line += " # " + rule["comment"].get<std::string>();
  }
  return line;
}

FwConfig ParseFwConfig(const std::string& text) {
  FwConfig config;
  config.digest = Sha1Hex(text);
  std::istringstream in(text);
  std::string raw;
  enum { kNone, kOptions, kAliases, kIpset, kRules, kGroup } section = kNone;
  std::string current;
  while (std::getline(in, raw)) {
    std::string line = FwTrim(raw);
    if (line.empty()) continue;
    if (line[0] == '[') {
      auto [head, comment] = FwSplitComment(line);
      std::string inner = head.substr(1, head.find(']') - 1);
      std::istringstream words(inner);
      std::string word, name;
      words >> word >> name;
      word = FwUpper(word);
      if (word == "OPTIONS") section = kOptions;
      else if (word == "ALIASES") section = kAliases;
      else if (word == "RULES") section = kRules;
      else if (word == "IPSET") {
        section = kIpset;
        current = name;
        config.ipsets[name].comment = comment;
        config.ipset_order.push_back(name);
      } else if (word == "GROUP") {
        section = kGroup;
        current = name;
        config.groups[name].comment = comment;
        config.group_order.push_back(name);
      } else {
        section = kNone;
      }
      continue;
    }
    if (line[0] == '#') continue;
    switch (section) {
      case kOptions: {
        size_t colon = line.find(':');
        if (colon == std::string::npos) break;
        config.options[FwTrim(line.substr(0, colon))] = FwTrim(line.substr(colon + 1));
        break;
      }
      case kAliases: {
        auto [body, comment] = FwSplitComment(line);
        std::istringstream words(body);
        std::string name, cidr;
        if (!(words >> name >> cidr)) break;
        const std::string key = FwLower(name);
        if (!config.aliases.contains(key)) config.alias_order.push_back(key);
        config.aliases[key] = FwAlias{name, cidr, comment};
        break;
      }
      case kIpset: {
        auto [body, comment] = FwSplitComment(line);
        FwIpsetEntry e;
        e.nomatch = !body.empty() && body[0] == '!';
        e.cidr = e.nomatch ? body.substr(1) : body;
        e.comment = comment;
        config.ipsets[current].entries.push_back(e);
        break;
      }
      case kRules:
        if (auto rule = ParseFwRule(line)) config.rules.push_back(*rule);
        break;
      case kGroup:
        if (auto rule = ParseFwRule(line)) config.groups[current].rules.push_back(*rule);
        break;
      case kNone:
        break;
    }
  }
  return config;
}

std::string WriteFwConfig(const FwConfig& config) {
  std::string out;
  bool any_option = false;
  for (auto it = config.options.begin(); it != config.options.end(); ++it) {
    if (!any_option) out += "[OPTIONS]\n\n";
    any_option = true;
    out += it.key() + ": " + FwScalar(it.value()) + "\n";
  }
  if (any_option) out += "\n";
  if (!config.alias_order.empty()) {
    out += "[ALIASES]\n\n";
    for (const std::string& key : config.alias_order) {
      const FwAlias& a = config.aliases.at(key);
      out += a.name + " " + a.cidr + (a.comment.empty() ? "" : " # " + a.comment) + "\n";
    }
    out += "\n";
  }
  for (const std::string& name : config.ipset_order) {
    const FwIpset& set = config.ipsets.at(name);
    out += "[IPSET " + name + "]" + (set.comment.empty() ? "" : " # " + set.comment) + "\n\n";
    for (const FwIpsetEntry& e : set.entries) {
      out += (e.nomatch ? "!" : "") + e.cidr + (e.comment.empty() ? "" : " # " + e.comment) + "\n";
    }
    out += "\n";
  }
  if (!config.rules.empty()) {
    out += "[RULES]\n\n";
    for (const FwRule& r : config.rules) out += FwRuleLine(r) + "\n";
    out += "\n";
  }
  for (const std::string& name : config.group_order) {
    const FwGroup& g = config.groups.at(name);
    out += "[group " + name + "]" + (g.comment.empty() ? "" : " # " + g.comment) + "\n\n";
    for (const FwRule& r : g.rules) out += FwRuleLine(r) + "\n";
    out += "\n";
  }
  return out;
}

}  // namespace pvesim
