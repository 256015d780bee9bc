#include "sim/pvesim/interfaces_file.h"

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "sim/pvesim/formats.h"
#include "sim/pvesim/params.h"

namespace pvesim {

using json = nlohmann::json;

namespace {

std::string S(const json& d, const std::string& key) {
  if (!d.contains(key) || d[key].is_null()) return "";
  return ScalarText(d[key]);
}

bool Truthy(const json& d, const std::string& key) {
  std::string v = S(d, key);
  return !v.empty() && v != "0";
}

const std::map<std::string, std::string>& Alternatives() {
  static const std::map<std::string, std::string> m = {
      {"ovs_mtu", "mtu"}, {"bond-slaves", "slaves"}, {"bond_slaves", "slaves"},
      {"bond-xmit-hash-policy", "bond_xmit_hash_policy"}, {"bond-mode", "bond_mode"}, {"bond-miimon", "bond_miimon"},
      {"bridge-vlan-aware", "bridge_vlan_aware"}, {"bridge-fd", "bridge_fd"}, {"bridge-stp", "bridge_stp"},
      {"bridge-ports", "bridge_ports"}, {"bridge-vids", "bridge_vids"}};
  return m;
}

const std::set<std::string>& SimpleOptions() {
  static const std::set<std::string> s = {
      "mtu", "ovs_type", "ovs_options", "ovs_bridge", "ovs_bonds", "ovs_ports", "bridge_fd", "bridge_vids",
      "bridge-access", "bridge-learning", "bridge-arp-nd-suppress", "bridge-unicast-flood", "bridge-multicast-flood",
      "bridge-disable-mac-learning", "bond_miimon", "bond_xmit_hash_policy", "bond-primary", "link-type", "uplink-id",
      "vlan-protocol", "vlan-raw-device", "vlan-id", "vxlan-id", "vxlan-svcnodeip", "vxlan-physdev",
      "vxlan-local-tunnelip"};
  return s;
}

int MaskBits(const std::string& mask) {
  if (!mask.empty() && mask.find_first_not_of("0123456789") == std::string::npos) return std::stoi(mask);
  if (!IsIpv4(mask)) return -1;
  unsigned a, b, c, d;
  if (std::sscanf(mask.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d) != 4) return -1;
  uint32_t m = (a << 24) | (b << 16) | (c << 8) | d;
  uint32_t inv = ~m;
  if ((inv & (inv + 1)) != 0) return -1;
  return __builtin_popcount(m);
}

bool IsPhysicalName(const std::string& name) {
  static const std::regex re("^(?:eth\\d+|en[^:.]+|ib[^:.]+|(?:nic|if)\\d+)$");
  return std::regex_match(name, re);
}

}  // namespace

InterfacesConfig ParseInterfaces(const std::string& text, const std::set<std::string>& physical) {
  InterfacesConfig config;
  json& ifaces = config.ifaces;
  std::vector<std::string> lines;
  {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  static const std::regex auto_re("^\\s*(allow-auto|auto|allow-ovs|allow-hotplug)\\s+(.*)$");
  static const std::regex iface_re("^\\s*iface\\s+(\\S+)(?:\\s+(inet6?)\\s+(\\S+))?\\s*$");
  static const std::regex comment_re("^\\s*#(.*?)\\s*$");
  static const std::regex stop_re("^\\s*(?:(?:iface|mapping|auto|source|source-directory)\\s|allow-)");
  static const std::regex option_re("^\\s*((\\S+)\\s+(.+))$");
  int priority = 2;
  size_t i = 0;
  while (i < lines.size()) {
    std::string line = lines[i++];
    std::smatch m;
    if (std::regex_match(line, std::regex("^\\s*#.*"))) continue;
    if (std::regex_match(line, m, auto_re)) {
      std::istringstream names(m[2].str());
      for (std::string n; names >> n;) ifaces[n]["autostart"] = 1;
      continue;
    }
    if (std::regex_match(line, m, iface_re)) {
      std::string name = m[1];
      bool has_family = m[2].matched;
      std::string family = m[2], suffix = has_family ? family.substr(4) : "";
      json f = json::object();
      if (has_family) f["method"] = m[3].str();
      json& d = ifaces[name];
      if (!d.contains("priority")) d["priority"] = priority++;
      if (!d.contains("families")) d["families"] = json::array();
      d["families"].push_back(has_family ? json(family) : json(nullptr));
      while (i < lines.size()) {
        std::string l = lines[i];
        while (!l.empty() && std::isspace(static_cast<unsigned char>(l.back()))) l.pop_back();
        std::smatch o;
        if (std::regex_match(l, o, comment_re)) {
          json& target = has_family ? f : d;
          target["comments"] = S(target, "comments") + o[1].str() + "\n";
          ++i;
          continue;
        }
        if (std::regex_search(l, stop_re)) break;
        if (!std::regex_match(l, o, option_re)) break;
        ++i;
        std::string option = o[1], id = o[2], value = o[3];
        if (Alternatives().contains(id)) id = Alternatives().at(id);
        if (id == "address" || id == "netmask" || id == "broadcast" || id == "gateway") {
          if (has_family) d[id + suffix] = value;
          else if (id != "netmask") d[value.find(':') != std::string::npos ? id + "6" : id] = value;
          else d[id] = value;
        } else if (SimpleOptions().contains(id)) {
          d[id] = value;
        } else if (id == "slaves" || id == "bridge_ports") {
          std::set<std::string> devs;
          std::istringstream ps(value);
          for (std::string p; ps >> p;) {
            if (p == "none") {
              if (id == "bridge_ports") d["is_empty_bridge"] = 1;
              continue;
            }
            devs.insert(p);
          }
          std::string str;
          for (const auto& p : devs) str += (str.empty() ? "" : " ") + p;
          if (!S(d, id).empty()) { if (!str.empty()) d[id] = S(d, id) + " " + str; } else d[id] = str;
        } else if (id == "bridge_stp") {
          d[id] = std::regex_match(value, std::regex("^\\s*(on|yes)\\s*$", std::regex::icase)) ? "on" : "off";
        } else if (id == "bridge_vlan_aware") {
          d[id] = 1;
        } else if (id == "bond_mode") {
          static const std::map<std::string, std::string> modes = {
              {"0", "balance-rr"}, {"1", "active-backup"}, {"2", "balance-xor"}, {"3", "broadcast"},
              {"4", "802.3ad"}, {"5", "balance-tlb"}, {"6", "balance-alb"}};
          d[id] = modes.contains(value) ? modes.at(value) : value;
        } else if (id == "vxlan-remoteip") {
          d[id].push_back(value);
        } else {
          json& target = has_family ? f : d;
          target["options"].push_back(option);
        }
      }
      if (has_family) {
        for (auto it = f.begin(); it != f.end(); ++it) d[it.key() + suffix] = it.value();
      }
      continue;
    }
    if (std::regex_search(line, std::regex("\\w"))) config.options.emplace_back(priority++, line);
  }
  for (const auto& p : physical) {
    if (ifaces.contains(p)) ifaces[p]["exists"] = 1;
  }
  if (!ifaces.contains("lo")) {
    ifaces["lo"] = {{"priority", 1}, {"method", "loopback"}, {"type", "loopback"}, {"autostart", 1}};
  }
  for (auto it = ifaces.begin(); it != ifaces.end(); ++it) {
    const std::string& name = it.key();
    json& d = it.value();
    d["type"] = "unknown";
    std::smatch m;
    if (d.contains("bridge_ports") || d.contains("is_empty_bridge")) {
      d.erase("is_empty_bridge");
      d["type"] = "bridge";
      if (!d.contains("bridge_stp")) d["bridge_stp"] = "off";
      if (!d.contains("bridge_fd") && S(d, "bridge_stp") == "off") d["bridge_fd"] = 0;
    } else if (S(d, "ovs_type") == "OVSBridge") {
      d["type"] = "OVSBridge";
    } else if (std::regex_match(name, std::regex("^bond\\d+$"))) {
      d["type"] = d.contains("ovs_type") ? S(d, "ovs_type") : "bond";
    } else if (std::regex_match(name, m, std::regex("^(\\S+):\\d+$"))) {
      d["type"] = "alias";
    } else if (std::regex_match(name, m, std::regex("^(\\S+)\\.(\\d+)$"))) {
      d["type"] = "vlan";
      if (!d.contains("vlan-raw-device")) d["vlan-raw-device"] = m[1].str();
      if (m[2].str() != "0") d["vlan-id"] = m[2].str();
    } else if (d.contains("vlan-raw-device")) {
      d["type"] = "vlan";
      if (std::regex_match(name, m, std::regex("^vlan(\\d+)$")) && m[1].str() != "0") d["vlan-id"] = m[1].str();
    } else if (physical.contains(name) || IsPhysicalName(name)) {
      d["type"] = d.contains("ovs_type") ? S(d, "ovs_type") : "eth";
    } else if (name == "lo") {
      d["type"] = "loopback";
    } else if (d.contains("vxlan-id")) {
      d["type"] = "vxlan";
    } else if (S(d, "link-type") == "dummy") {
      d["type"] = "dummy";
    }
    if (std::string addr = S(d, "address"); !addr.empty()) {
      if (auto slash = addr.find('/'); slash != std::string::npos) {
        d["cidr"] = addr;
        d["address"] = addr.substr(0, slash);
        d["netmask"] = addr.substr(slash + 1);
      } else if (int bits = MaskBits(S(d, "netmask")); bits >= 0 && !S(d, "netmask").empty()) {
        d["cidr"] = addr + "/" + std::to_string(bits);
        d["netmask"] = std::to_string(bits);
      } else {
        d["cidr"] = addr + "/32";
      }
    }
    if (std::string addr6 = S(d, "address6"); !addr6.empty()) {
      if (auto slash = addr6.find('/'); slash != std::string::npos) {
        d["cidr6"] = addr6;
        d["address6"] = addr6.substr(0, slash);
        d["netmask6"] = addr6.substr(slash + 1);
      } else if (!S(d, "netmask6").empty()) {
        d["cidr6"] = addr6 + "/" + S(d, "netmask6");
      } else {
        d["cidr6"] = addr6 + "/128";
      }
    }
    if (S(d, "method").empty()) d["method"] = "manual";
    if (S(d, "method6").empty()) d["method6"] = "manual";
    if (d.contains("comments6")) {
      d["comments"] = S(d, "comments") + S(d, "comments6");
      d.erase("comments6");
    }
    if (!d.contains("families")) d["families"] = json::array({"inet"});
  }
  return config;
}

namespace {

std::string InterfaceToString(const std::string& iface, json& d, const json& family_value, bool first_block) {
  bool has_family = !family_value.is_null();
  std::string family = has_family ? family_value.get<std::string>() : "";
  std::string suffix = has_family ? family.substr(4) : "";
  if (has_family && S(d, "method" + suffix).empty()) return "";
  std::string raw = "iface " + iface;
  if (has_family) raw += " " + family + " " + S(d, "method" + suffix);
  raw += "\n";
  auto add_addr = [&](const std::string& sfx) {
    std::string addr = S(d, "address" + sfx);
    if (!addr.empty()) {
      std::string mask = S(d, "netmask" + sfx);
      if (addr.find('/') == std::string::npos && !mask.empty()) {
        int bits = MaskBits(mask);
        if (bits >= 0) addr += "/" + std::to_string(bits);
      }
      raw += "\taddress " + addr + "\n";
    }
    if (Truthy(d, "gateway" + sfx)) raw += "\tgateway " + S(d, "gateway" + sfx) + "\n";
  };
  if (has_family) add_addr(suffix); else { add_addr(""); add_addr("6"); }
  std::set<std::string> done = {"type", "priority", "method", "active", "exists", "comments", "autostart",
                                "options", "address", "netmask", "gateway", "broadcast", "method6", "families",
                                "options6", "comments6", "address6", "netmask6", "gateway6", "broadcast6",
                                "uplink-id"};
  std::string type = S(d, "type");
  if (first_block && type == "bridge") {
    std::string ports = S(d, "bridge_ports");
    if (ports.empty()) ports = "none";
    ports = std::regex_replace(ports, std::regex("[;,\\s]+"), " ");
    raw += "\tbridge-ports " + ports + "\n";
    std::string stp = d.contains("bridge_stp") ? S(d, "bridge_stp") : "off";
    raw += "\tbridge-stp " + stp + "\n";
    if (d.contains("bridge_fd") && !d["bridge_fd"].is_null()) {
      raw += "\tbridge-fd " + S(d, "bridge_fd") + "\n";
    } else if (stp == "off") {
      raw += "\tbridge-fd 0\n";
    }
    if (d.contains("bridge_vlan_aware") && !d["bridge_vlan_aware"].is_null()) {
      raw += "\tbridge-vlan-aware yes\n";
      std::string vids = S(d, "bridge_vids");
      raw += "\tbridge-vids " + (vids.empty() ? std::string("2-4094") : vids) + "\n";
    }
    if (Truthy(d, "mtu")) raw += "\tmtu " + S(d, "mtu") + "\n";
    for (const char* k : {"bridge_ports", "bridge_stp", "bridge_fd", "bridge_vlan_aware", "bridge_vids", "mtu",
                          "bridge-disable-mac-learning"})
      done.insert(k);
  } else if (first_block && type == "bond") {
    std::string slaves = std::regex_replace(S(d, "slaves"), std::regex("[;,\\s]+"), " ");
    raw += "\tbond-slaves " + (slaves.empty() ? std::string("none") : slaves) + "\n";
    raw += "\tbond-miimon " + (d.contains("bond_miimon") ? S(d, "bond_miimon") : std::string("100")) + "\n";
    std::string mode = d.contains("bond_mode") ? S(d, "bond_mode") : "balance-rr";
    raw += "\tbond-mode " + mode + "\n";
    if ((mode == "balance-xor" || mode == "802.3ad") && Truthy(d, "bond_xmit_hash_policy"))
      raw += "\tbond-xmit-hash-policy " + S(d, "bond_xmit_hash_policy") + "\n";
    if (mode == "active-backup" && Truthy(d, "bond-primary")) raw += "\tbond-primary " + S(d, "bond-primary") + "\n";
    if (Truthy(d, "mtu")) raw += "\tmtu " + S(d, "mtu") + "\n";
    for (const char* k : {"slaves", "bond_miimon", "bond_mode", "bond_xmit_hash_policy", "bond-primary", "mtu"})
      done.insert(k);
  } else if (first_block && type == "vxlan") {
    for (const char* k : {"vxlan-id", "vxlan-svcnodeip", "vxlan-physdev", "vxlan-local-tunnelip"}) {
      if (d.contains(k)) raw += std::string("\t") + k + " " + S(d, k) + "\n";
      done.insert(k);
    }
    if (d.contains("vxlan-remoteip"))
      for (const auto& ip : d["vxlan-remoteip"]) raw += "\tvxlan-remoteip " + ScalarText(ip) + "\n";
    done.insert("vxlan-remoteip");
    if (Truthy(d, "mtu")) raw += "\tmtu " + S(d, "mtu") + "\n";
    done.insert("mtu");
  }
  if (first_block) {
    for (auto it = d.begin(); it != d.end(); ++it) {
      if (done.contains(it.key()) || it.value().is_array() || it.value().is_object()) continue;
      if (!Truthy(d, it.key())) continue;
      raw += "\t" + it.key() + " " + ScalarText(it.value()) + "\n";
    }
  }
  auto add_options_comments = [&](const std::string& sfx) {
    if (d.contains("options" + sfx))
      for (const auto& o : d["options" + sfx]) raw += "\t" + ScalarText(o) + "\n";
    std::istringstream c(S(d, "comments" + sfx));
    for (std::string l; std::getline(c, l);) raw += "#" + l + "\n";
  };
  if (has_family) add_options_comments(suffix); else { add_options_comments(""); add_options_comments("6"); }
  return raw + "\n";
}

}  // namespace

Result<std::string> WriteInterfaces(InterfacesConfig config) {
  json& ifaces = config.ifaces;
  std::map<std::string, std::string> used_ports;
  for (auto it = ifaces.begin(); it != ifaces.end(); ++it) {
    json& d = it.value();
    if (d.contains("cidr")) { if (!d.contains("address") || d["address"].is_null()) d["address"] = d["cidr"]; d.erase("cidr"); }
    if (d.contains("cidr6")) { if (!d.contains("address6") || d["address6"].is_null()) d["address6"] = d["cidr6"]; d.erase("cidr6"); }
    std::string ports;
    for (const char* k : {"bridge_ports", "ovs_ports", "slaves", "ovs_bonds"}) ports += " " + S(d, k);
    for (const auto& p : SplitList(ports)) {
      if (used_ports.contains(p) && used_ports[p] != it.key())
        return Die("port '" + p + "' is already used on interface '" + used_ports[p] + "'");
      used_ports[p] = it.key();
    }
  }
  for (auto it = ifaces.begin(); it != ifaces.end(); ++it) {
    const json& d = it.value();
    if (S(d, "type") != "bridge") continue;
    for (const auto& p : SplitList(S(d, "bridge_ports"))) {
      if (!ifaces.contains(p)) return Die("bridge '" + it.key() + "' - unable to find bridge port '" + p + "'");
    }
  }
  for (auto it = ifaces.begin(); it != ifaces.end(); ++it) {
    json& d = it.value();
    if (S(d, "type") == "bond" && !S(d, "slaves").empty()) {
      for (const auto& p : SplitList(S(d, "slaves"))) {
        if (!ifaces.contains(p)) return Die("bond '" + it.key() + "' - unable to find slave '" + p + "'");
        std::string t = S(ifaces[p], "type");
        if (t != "eth" && t != "bond")
          return Die("bond '" + it.key() + "' - wrong interface type on slave '" + p + "' ('" + t + "' != 'eth or bond')");
        ifaces[p]["autostart"] = 1;
      }
    }
    if (S(d, "type") == "vlan") {
      std::smatch m;
      std::string parent, vlanid;
      std::string name = it.key();
      if (std::regex_match(name, m, std::regex("^(\\S+)\\.(\\d+)$"))) {
        parent = m[1];
        vlanid = m[2];
        d.erase("vlan-raw-device");
        d.erase("vlan-id");
      } else {
        if (S(d, "vlan-raw-device").empty()) return Die("missing vlan-raw-device option");
        parent = S(d, "vlan-raw-device");
        if (std::regex_match(name, m, std::regex("^vlan(\\d+)$"))) {
          vlanid = m[1];
          d.erase("vlan-id");
        } else {
          if (S(d, "vlan-id").empty()) return Die("missing vlan-id option");
          vlanid = S(d, "vlan-id");
        }
      }
      if (std::stol(vlanid) > 4094) return Die("vlan '" + name + "' - vlan-id " + vlanid + " should be <= 4094");
      if (!ifaces.contains(parent)) return Die("vlan '" + name + "' - unable to find parent '" + parent + "'");
      std::string t = S(ifaces[parent], "type");
      if (t != "eth" && t != "bridge" && t != "bond" && t != "vlan")
        return Die("vlan '" + name + "' - wrong interface type on parent '" + parent + "' ('" + t +
                   "' != 'eth|bond|bridge|vlan' )");
    }
  }
  for (auto it = ifaces.begin(); it != ifaces.end(); ++it) {
    if (S(it.value(), "type") != "bridge") continue;
    std::istringstream ps(S(it.value(), "bridge_ports"));
    for (std::string p; ps >> p;) {
      bool vlan_port = std::regex_match(p, std::regex("^(\\S+)\\.(\\d+)$"));
      if (!ifaces.contains(p) && !vlan_port) return Die("bridge '" + it.key() + "' - unable to find bridge port '" + p + "'");
      if (ifaces.contains(p)) {
        const json& n = ifaces[p];
        if ((S(n, "method") == "static" && S(n, "address") != "0.0.0.0") || (S(n, "method6") == "static" && S(n, "address6") != "::"))
          return Die("iface " + p + " - ip address can't be set on interface if bridged in " + it.key());
      }
    }
  }

  std::string raw =
      "# network interface settings; autogenerated\n"
      "# Please do NOT modify this file directly, unless you know what\n"
      "# you're doing.\n"
      "#\n"
      "# If you want to manage parts of the network configuration manually,\n"
      "# please utilize the 'source' or 'source-directory' directives to do\n"
      "# so.\n"
      "# PVE will preserve these directives, but will NOT read its network\n"
      "# configuration from sourced files, so do not attempt to move any of\n"
      "# the PVE managed interfaces into external files!\n\n";
  static const std::map<std::string, int> type_prio = {
      {"loopback", 100000}, {"dummy", 100000}, {"eth", 200000}, {"OVSPort", 200000}, {"OVSIntPort", 300000},
      {"OVSBond", 400000}, {"bond", 400000}, {"bridge", 500000}, {"OVSBridge", 500000}, {"vlan", 600000},
      {"vxlan", 600000}};
  auto lookup = [&](const std::string& iface) -> std::optional<int> {
    std::string root = iface.substr(0, iface.find_first_of(".:"));
    int level = static_cast<int>(std::count_if(iface.begin(), iface.end(), [](char c) { return c == '.' || c == ':'; }));
    if (!ifaces.contains(root)) return std::nullopt;
    std::string t = S(ifaces[root], "type");
    auto tp = type_prio.find(t);
    if (tp == type_prio.end()) return std::nullopt;
    return tp->second + level;
  };
  std::vector<std::string> names;
  for (auto it = ifaces.begin(); it != ifaces.end(); ++it) names.push_back(it.key());
  std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    auto t1 = lookup(a), t2 = lookup(b);
    int tp1 = t1 && t2 ? *t1 : 0, tp2 = t1 && t2 ? *t2 : 0;
    long p1 = tp1 + (ifaces[a].contains("priority") ? std::stol(S(ifaces[a], "priority")) : 50000);
    long p2 = tp2 + (ifaces[b].contains("priority") ? std::stol(S(ifaces[b], "priority")) : 50000);
    if (p1 != p2) return p1 < p2;
    return a < b;
  });
  auto& options = config.options;
  size_t next_option = 0;
  for (const auto& iface : names) {
    json& d = ifaces[iface];
    long pri = d.contains("priority") ? std::stol(S(d, "priority")) : 0;
    if (next_option < options.size() && options[next_option].first < pri) {
      while (next_option < options.size() && options[next_option].first < pri) raw += options[next_option++].second + "\n";
      raw += "\n";
    }
    if (Truthy(d, "autostart")) raw += "auto " + iface + "\n";
    json families = d.value("families", json::array({"inet"}));
    if (families.size() == 1 && families[0].is_string() && families[0] == "inet6") {
      if (d.contains("comments")) { d["comments6"] = d["comments"]; d.erase("comments"); }
    }
    bool first = true;
    for (const auto& fam : families) {
      raw += InterfaceToString(iface, d, fam, first);
      first = false;
    }
  }
  for (; next_option < options.size(); ++next_option) raw += options[next_option].second + "\n";
  return raw;
}

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// diff -b: runs of whitespace compare equal, trailing whitespace ignored.
std::string Squash(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) { space = true; continue; }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string UnifiedDiff(const std::string& old_name, const std::string& old_text, const std::string& new_name,
                        const std::string& new_text) {
  auto a = Lines(old_text), b = Lines(new_text);
  size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      lcs[i][j] = Squash(a[i]) == Squash(b[j]) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  struct Op { char kind; size_t ai, bi; };
  std::vector<Op> ops;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && Squash(a[i]) == Squash(b[j])) { ops.push_back({' ', i++, j++}); }
    // Deletions before insertions within a change, as diff prints them.
    else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) { ops.push_back({'-', i++, j}); }
    else { ops.push_back({'+', i, j++}); }
  }
  bool changed = std::any_of(ops.begin(), ops.end(), [](const Op& o) { return o.kind != ' '; });
  if (!changed) return "";
  std::string out = "--- " + old_name + "\t2025-01-01 00:00:00.000000000 +0000\n+++ " + new_name +
                    "\t2025-01-01 00:00:00.000000000 +0000\n";
  const size_t ctx = 3;
  size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].kind == ' ') ++k;
    if (k >= ops.size()) break;
    size_t start = k >= ctx ? k - ctx : 0;
    size_t end = k;
    // extend the hunk while changes are within 2*ctx of each other
    size_t last_change = k;
    for (size_t x = k; x < ops.size(); ++x) {
      if (ops[x].kind != ' ') last_change = x;
      else if (x - last_change > 2 * ctx) break;
      end = x;
    }
    end = std::min(ops.size() - 1, last_change + ctx);
    size_t a_start = ops[start].ai, b_start = ops[start].bi, a_len = 0, b_len = 0;
    std::string body;
    for (size_t x = start; x <= end; ++x) {
      const Op& o = ops[x];
      if (o.kind == ' ') { body += " " + a[o.ai] + "\n"; ++a_len; ++b_len; }
      else if (o.kind == '-') { body += "-" + a[o.ai] + "\n"; ++a_len; }
      else { body += "+" + b[o.bi] + "\n"; ++b_len; }
    }
    auto range = [](size_t s, size_t len) {
      if (len == 1) return std::to_string(s + 1);
      return std::to_string(len == 0 ? s : s + 1) + "," + std::to_string(len);
    };
    out += "@@ -" + range(a_start, a_len) + " +" + range(b_start, b_len) + " @@\n" + body;
    k = end + 1;
  }
  return out;
}

std::string InstallerInterfaces(const std::vector<std::string>& nics, const std::string& cidr, const std::string& gateway) {
  std::string raw = "auto lo\niface lo inet loopback\n\n";
  if (!nics.empty()) raw += "iface " + nics[0] + " inet manual\n\n";
  raw += "auto vmbr0\niface vmbr0 inet static\n\taddress " + cidr + "\n\tgateway " + gateway + "\n\tbridge-ports " +
         (nics.empty() ? std::string("none") : nics[0]) + "\n\tbridge-stp off\n\tbridge-fd 0\n\n";
  for (size_t i = 1; i < nics.size(); ++i) raw += "iface " + nics[i] + " inet manual\n\n";
  raw += "\nsource /etc/network/interfaces.d/*\n";
  return raw;
}

}  // namespace pvesim
