#include "providers/pve/network_interfaces.h"
#include "providers/pve/pve_values.h"

#include <algorithm>
#include <charconv>
#include <regex>

#include "providers/pve/ip_text.h"

namespace hainfra::pve {
namespace {

// spec key -> Proxmox API key.
struct KeyMap {
  const char* spec;
  const char* api;
};

constexpr KeyMap kKeys[] = {
    {"type", "type"},
    {"ports", "bridge_ports"},
    {"vlan_aware", "bridge_vlan_aware"},
    {"vids", "bridge_vids"},
    {"slaves", "slaves"},
    {"bond_mode", "bond_mode"},
    {"hash_policy", "bond_xmit_hash_policy"},
    {"bond_primary", "bond-primary"},
    {"vlan_raw_device", "vlan-raw-device"},
    {"vlan_id", "vlan-id"},
    {"cidr", "cidr"},
    {"gateway", "gateway"},
    {"cidr6", "cidr6"},
    {"gateway6", "gateway6"},
    {"mtu", "mtu"},
    {"autostart", "autostart"},
    {"comment", "comments"},
};

std::string Text(const Value& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  return v.dump();
}

Value WordList(const Value& v) {
  Value out = Value::array();
  if (v.is_array()) {
    for (const Value& e : v) {
      for (auto& w : SplitList(Text(e))) out.push_back(w);
    }
  } else {
    for (auto& w : SplitList(Text(v))) {
      if (w != "none") out.push_back(w);
    }
  }
  return out;
}

std::optional<int64_t> Integer(const Value& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return v.get<int64_t>();
  const std::string s = Text(v);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// A dotted netmask ("255.255.255.0") as a prefix length; the text itself when it is already one.
std::string PrefixOf(const std::string& mask) {
  if (mask.find('.') == std::string::npos) return mask;
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (std::sscanf(mask.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d) != 4) return mask;
  const uint32_t m = (a << 24) | (b << 16) | (c << 8) | d;
  return std::to_string(__builtin_popcount(m));
}

std::string StripTrailing(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

const char* ApiName(const std::string& spec_key) {
  for (const KeyMap& k : kKeys) {
    if (spec_key == k.spec) return k.api;
  }
  return nullptr;
}

bool Empty(const Value& v) {
  return v.is_null() || (v.is_array() && v.empty()) || (v.is_string() && v.get<std::string>().empty());
}

}  // namespace

const std::vector<std::string>& ManagedInterfaceKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for (const KeyMap& k : kKeys) out.push_back(k.spec);
    return out;
  }();
  return keys;
}

bool IsDottedVlan(const std::string& name) {
  static const std::regex re("^\\S+\\.\\d+$");
  return std::regex_match(name, re);
}

Value InterfaceFromApi(const Value& item) {
  Value out = Value::object();
  out["iface"] = Text(item.value("iface", Value("")));
  const std::string type = Text(item.value("type", Value("")));
  out["type"] = type;
  auto has = [&](const char* key) { return item.contains(key) && !item[key].is_null(); };
  if (type == "bridge") {
    out["ports"] = WordList(item.value("bridge_ports", Value("")));
    out["vlan_aware"] = has("bridge_vlan_aware") && TruthOf(item["bridge_vlan_aware"]);
    if (out["vlan_aware"].get<bool>()) {
      // ifupdown2 (and the GUI) carry VLANs 2-4094 on a VLAN-aware bridge unless told otherwise.
      out["vids"] = has("bridge_vids") ? WordList(item["bridge_vids"]) : Value::array({"2-4094"});
    } else if (has("bridge_vids")) {
      out["vids"] = WordList(item["bridge_vids"]);
    }
  }
  if (type == "bond") {
    out["slaves"] = WordList(item.value("slaves", Value("")));
    if (has("bond_mode")) out["bond_mode"] = Text(item["bond_mode"]);
    if (has("bond_xmit_hash_policy")) out["hash_policy"] = Text(item["bond_xmit_hash_policy"]);
    if (has("bond-primary")) out["bond_primary"] = Text(item["bond-primary"]);
  }
  if (type == "vlan") {
    if (has("vlan-raw-device")) out["vlan_raw_device"] = Text(item["vlan-raw-device"]);
    if (has("vlan-id")) {
      if (auto id = Integer(item["vlan-id"])) out["vlan_id"] = *id;
    }
  }
  for (const char* fam : {"", "6"}) {
    const std::string f = fam;
    if (has(("cidr" + f).c_str())) {
      out["cidr" + f] = Text(item["cidr" + f]);
    } else if (has(("address" + f).c_str()) && has(("netmask" + f).c_str())) {
      out["cidr" + f] = Text(item["address" + f]) + "/" + PrefixOf(Text(item["netmask" + f]));
    }
    if (has(("gateway" + f).c_str())) out["gateway" + f] = Text(item["gateway" + f]);
  }
  if (has("mtu")) {
    if (auto mtu = Integer(item["mtu"])) out["mtu"] = *mtu;
  }
  out["autostart"] = has("autostart") && TruthOf(item["autostart"]);
  out["comment"] = has("comments") ? StripTrailing(Text(item["comments"])) : std::string();
  if (has("exists") && TruthOf(item["exists"])) out["exists"] = true;
  return out;
}

void NormalizeInterface(Value& iface) {
  if (!iface.is_object()) return;
  if (iface.contains("state") && iface["state"] == "present") iface.erase("state");
  if (iface.value("state", "") == "absent") {  // only its name matters: it is to go
    iface = Value{{"iface", iface.value("iface", "")}, {"state", "absent"}};
    return;
  }
  for (const char* key : {"cidr", "cidr6"}) {
    if (iface.contains(key) && iface[key].is_string()) {
      if (auto c = CanonicalCidr(iface[key].get<std::string>())) iface[key] = *c;
    }
  }
  for (const char* key : {"gateway", "gateway6"}) {
    if (iface.contains(key) && iface[key].is_string()) {
      if (auto c = CanonicalIp(iface[key].get<std::string>())) iface[key] = *c;
    }
  }
  for (const char* key : {"ports", "slaves"}) {
    if (!iface.contains(key) || !iface[key].is_array()) continue;
    std::vector<std::string> list;
    for (const Value& v : WordList(iface[key])) list.push_back(v.get<std::string>());
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    iface[key] = list;
  }
  if (iface.contains("vids") && iface["vids"].is_array()) {
    std::vector<std::string> entries;
    for (const Value& v : iface["vids"]) entries.push_back(Text(v));
    if (auto canonical = CanonicalVlanList(entries)) iface["vids"] = *canonical;
  }
  for (const char* key : {"mtu", "vlan_id"}) {
    if (iface.contains(key) && !iface[key].is_number()) {
      if (auto n = Integer(iface[key])) iface[key] = *n;
    }
  }
  for (const char* key : {"vlan_aware", "autostart"}) {
    if (iface.contains(key) && !iface[key].is_boolean() && !iface[key].is_null()) iface[key] = TruthOf(iface[key]);
  }
  if (iface.contains("comment") && iface["comment"].is_string()) {
    iface["comment"] = StripTrailing(iface["comment"].get<std::string>());
  }
}

Value InterfaceParams(const Value& iface) {
  Value params = Value::object();
  const bool dotted = IsDottedVlan(iface.value("iface", ""));
  for (const KeyMap& k : kKeys) {
    auto it = iface.find(k.spec);
    if (it == iface.end() || Empty(*it)) continue;
    const std::string key = k.spec;
    if (dotted && (key == "vlan_raw_device" || key == "vlan_id")) continue;  // the name says it
    if (it->is_array()) {
      std::string joined;
      for (const Value& e : *it) joined += (joined.empty() ? "" : " ") + Text(e);
      params[k.api] = joined;
    } else if (it->is_boolean()) {
      params[k.api] = it->get<bool>() ? 1 : 0;
    } else {
      params[k.api] = *it;
    }
  }
  return params;
}

std::vector<std::string> RemovedParams(const Value& before, const Value& after) {
  std::vector<std::string> out;
  for (const KeyMap& k : kKeys) {
    const std::string key = k.spec;
    if (key == "type" || key == "vlan_aware" || key == "autostart") continue;  // written as 0/1, never deleted
    auto b = before.find(k.spec);
    if (b == before.end() || Empty(*b)) continue;
    auto a = after.find(k.spec);
    if (a == after.end() || Empty(*a)) out.push_back(ApiName(key));
  }
  return out;
}

bool SameInterface(const Value& a, const Value& b) {
  for (const KeyMap& k : kKeys) {
    const Value none;
    auto x = a.find(k.spec);
    auto y = b.find(k.spec);
    const Value& vx = x == a.end() ? none : *x;
    const Value& vy = y == b.end() ? none : *y;
    if (Empty(vx) && Empty(vy)) continue;
    if (vx.is_boolean() || vy.is_boolean()) {
      if (TruthOf(vx) != TruthOf(vy)) return false;
      continue;
    }
    if (vx != vy) return false;
  }
  return true;
}

}  // namespace hainfra::pve
