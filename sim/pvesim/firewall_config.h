// The firewall's .fw files as pve-firewall reads and writes them (firewall/cluster.fw, nodes/<node>/host.fw,
// firewall/<vmid>.fw): [OPTIONS] "key: value" lines, [ALIASES] "name cidr # comment", [IPSET name] entries
// ("!cidr" is nomatch), [RULES] and, in cluster.fw, [group name] sections of rule lines
// ("[|]IN ACCEPT -p tcp -dport 22 -log nolog # comment"; `|` disables a rule, `SSH(ACCEPT)` is a macro).
// The digest of every answer is the SHA-1 of the file's text.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pvesim {

// One rule as the API shows it (type in/out/forward/group, action, macro, iface, source, dest, proto,
// dport, sport, icmp-type, log, enable 0/1, comment); keys absent when unset.
using FwRule = nlohmann::json;

struct FwIpsetEntry {
  std::string cidr;
  bool nomatch = false;
  std::string comment;
};

struct FwIpset {
  std::string comment;
  std::vector<FwIpsetEntry> entries;
};

struct FwGroup {
  std::string comment;
  std::vector<FwRule> rules;
};

struct FwAlias {
  std::string name;  // as written (the map's key is lower-cased, as pve-firewall's)
  std::string cidr;
  std::string comment;
};

struct FwConfig {
  nlohmann::json options = nlohmann::json::object();  // key -> text
  std::map<std::string, FwAlias> aliases;              // lower-cased name (pve-firewall's alias keys)
  std::vector<std::string> alias_order;
  std::map<std::string, FwIpset> ipsets;
  std::vector<std::string> ipset_order;
  std::vector<FwRule> rules;
  std::map<std::string, FwGroup> groups;
  std::vector<std::string> group_order;
  std::string digest;  // of the text it was read from
};

FwConfig ParseFwConfig(const std::string& text);
std::string WriteFwConfig(const FwConfig& config);

// One rule line (without the comment's leading space) <-> the API's shape; nullopt for a line that is no rule.
std::optional<FwRule> ParseFwRule(const std::string& line);
std::string FwRuleLine(const FwRule& rule);

}  // namespace pvesim
