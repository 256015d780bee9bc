#include "sim/pvesim/corosync_conf.h"

#include <regex>
#include <sstream>

namespace pvesim {

using json = nlohmann::json;

Result<json> ParseCorosyncConf(const std::string& text) {
  std::string raw = std::regex_replace(text, std::regex("#[^\n]*"), "");
  std::istringstream in(raw);
  std::vector<std::string> tokens;
  for (std::string t; in >> t;) tokens.push_back(t);
  json main = json::object();
  std::vector<json*> stack;
  json* section = &main;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (i + 1 < tokens.size() && tokens[i + 1] == "{") {
      ++i;
      if (token == "node" || token == "interface") {
        if (!section->contains(token)) (*section)[token] = json::array();
        (*section)[token].push_back(json::object());
        stack.push_back(section);
        section = &(*section)[token].back();
      } else {
        if (section->contains(token)) return Die("section '" + token + "' already exists and not marked as array!");
        (*section)[token] = json::object();
        stack.push_back(section);
        section = &(*section)[token];
      }
      continue;
    }
    if (token == "}") {
      if (stack.empty()) return Die("parse error - uncexpected '}'");
      section = stack.back();
      stack.pop_back();
      continue;
    }
    if (token.back() != ':') return Die("missing ':' after key '" + token + "'");
    if (i + 1 >= tokens.size()) return Die("parse error - no value for '" + token.substr(0, token.size() - 1) + "'");
    (*section)[token.substr(0, token.size() - 1)] = tokens[++i];
  }
  // Key the arrays as PVE::Corosync does: nodes by name, interfaces by link number.
  if (main.contains("nodelist") && main["nodelist"].contains("node")) {
    json keyed = json::object();
    for (const auto& n : main["nodelist"]["node"]) keyed[n.value("name", n.value("ring0_addr", ""))] = n;
    main["nodelist"]["node"] = keyed;
  }
  if (main.contains("totem") && main["totem"].contains("interface")) {
    json keyed = json::object();
    for (const auto& n : main["totem"]["interface"]) keyed[n.value("linknumber", n.value("ringnumber", ""))] = n;
    main["totem"]["interface"] = keyed;
  }
  return main;
}

namespace {

void Dump(const json& section, const std::string& prefix, std::string& out) {
  for (auto it = section.begin(); it != section.end(); ++it) {
    const json& v = it.value();
    if (v.is_object()) {
      out += prefix + it.key() + " {\n";
      Dump(v, prefix + "  ", out);
      out += prefix + "}\n";
      if (prefix.empty()) out += "\n";
    } else if (v.is_array()) {
      for (const auto& child : v) {
        out += prefix + it.key() + " {\n";
        Dump(child, prefix + "  ", out);
        out += prefix + "}\n";
      }
    } else {
      out += prefix + it.key() + ": " + (v.is_string() ? v.get<std::string>() : v.dump()) + "\n";
    }
  }
}

}  // namespace

std::string WriteCorosyncConf(const json& main) {
  json c = main;
  auto to_array = [](json& obj) {
    json arr = json::array();
    for (auto it = obj.begin(); it != obj.end(); ++it) arr.push_back(it.value());  // sorted keys
    obj = arr;
  };
  if (c.contains("nodelist") && c["nodelist"].contains("node")) to_array(c["nodelist"]["node"]);
  if (c.contains("totem") && c["totem"].contains("interface")) to_array(c["totem"]["interface"]);
  std::string out;
  Dump(c, "", out);
  return out;
}

json NewCorosyncConf(const std::string& cluster_name, const std::string& node, int nodeid, int votes,
                     const std::map<int, std::string>& link_addresses) {
  json node_entry = {{"name", node}, {"nodeid", std::to_string(nodeid)}, {"quorum_votes", std::to_string(votes)}};
  json interfaces = json::object();
  for (const auto& [link, addr] : link_addresses) {
    interfaces[std::to_string(link)] = {{"linknumber", std::to_string(link)}};
    node_entry["ring" + std::to_string(link) + "_addr"] = addr;
  }
  return {
      {"totem",
       {{"version", "2"}, {"secauth", "on"}, {"cluster_name", cluster_name}, {"config_version", "0"},
        {"ip_version", "ipv4-6"}, {"link_mode", "passive"}, {"interface", interfaces}}},
      {"nodelist", {{"node", {{node, node_entry}}}}},
      {"quorum", {{"provider", "corosync_votequorum"}}},
      {"logging", {{"to_syslog", "yes"}, {"debug", "off"}}},
  };
}

void BumpConfigVersion(json& main) {
  int v = 0;
  if (main.contains("totem") && main["totem"].contains("config_version")) {
    try { v = std::stoi(main["totem"]["config_version"].get<std::string>()); } catch (...) { v = 0; }
  }
  main["totem"]["config_version"] = std::to_string(v + 1);
}

}  // namespace pvesim
