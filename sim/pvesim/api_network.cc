// /nodes/{node}/network: the node's /etc/network/interfaces as pve-manager's API2::Network edits it —
// changes are staged in interfaces.new (GET shows them as `changes`, a diff -u), PUT on the collection
// applies them (srvreload task), DELETE reverts them. Files live behind NodeFacts.
#include <regex>
#include <set>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/interfaces_file.h"
#include "sim/pvesim/management_access.h"

namespace pvesim {

namespace {

constexpr const char* kCurrent = "/etc/network/interfaces";
constexpr const char* kStaged = "/etc/network/interfaces.new";

std::set<std::string> PhysicalNics(const InterfacesConfig& applied) {
  static const std::regex re("^(?:eth\\d+|en[^:.]+|ib[^:.]+|(?:nic|if)\\d+)$");
  std::set<std::string> out;
  for (const auto& [name, d] : applied.ifaces.items())
    if (std::regex_match(name, re)) out.insert(name);
  return out;
}

struct NodeNetwork {
  std::string current_text;
  std::optional<std::string> staged_text;
  std::set<std::string> physical;
  InterfacesConfig config;  // staged when there is a staged file, else current
  std::set<std::string> active;
};

// Interfaces that are up: configured in the applied file and auto-started, or ports of such.
std::set<std::string> ActiveSet(const InterfacesConfig& applied) {
  std::set<std::string> up;
  for (const auto& [name, d] : applied.ifaces.items()) {
    if (name == "lo" || ScalarText(d.value("autostart", json(0))) != "1") continue;
    up.insert(name);
    for (const char* k : {"bridge_ports", "slaves"})
      for (const auto& p : SplitList(d.value(k, ""))) up.insert(p);
  }
  return up;
}

NodeNetwork Load(Simulator& sim, const std::string& node) {
  NodeNetwork n;
  n.current_text = sim.facts().ReadNodeFile(node, kCurrent).value_or("");
  n.staged_text = sim.facts().ReadNodeFile(node, kStaged);
  InterfacesConfig applied = ParseInterfaces(n.current_text, {});
  n.physical = PhysicalNics(applied);
  applied = ParseInterfaces(n.current_text, n.physical);
  n.active = ActiveSet(applied);
  n.config = n.staged_text ? ParseInterfaces(*n.staged_text, n.physical) : applied;
  return n;
}

Status Stage(Simulator& sim, const std::string& node, const InterfacesConfig& config) {
  auto text = WriteInterfaces(config);
  if (!text) return Fail(text.error());
  sim.MarkDirty();
  return sim.facts().WriteNodeFile(node, kStaged, *text);
}

json IfaceJson(const std::string& name, json d, const std::set<std::string>& active) {
  d["iface"] = name;
  if (active.contains(name)) d["active"] = 1;
  return d;
}

Result<Reply> ListNetwork(Call& c) {
  NodeNetwork n = Load(c.sim, c.node);
  std::string filter = c.params.StrOr("type", "");
  json out = json::array();
  for (const auto& [name, d] : n.config.ifaces.items()) {
    if (name == "lo") continue;
    std::string type = d.value("type", "");
    bool is_bridge = type == "bridge" || type == "OVSBridge";
    if (!filter.empty() && filter != "include_sdn") {
      bool match = filter == type || (is_bridge && (filter == "any_bridge" || filter == "any_local_bridge"));
      if (!match) continue;
    }
    out.push_back(IfaceJson(name, d, n.active));
  }
  Reply reply(out);
  if (n.staged_text) {
    std::string diff = UnifiedDiff(kCurrent, n.current_text, kStaged, *n.staged_text);
    if (!diff.empty()) reply.changes = diff;
  }
  return reply;
}

// The API parameters of an interface, as json_config_properties takes them.
const std::set<std::string>& IfaceKeys() {
  static const std::set<std::string> keys = {
      "type", "autostart", "bridge_ports", "bridge_vlan_aware", "bridge_vids", "bridge-access", "bridge-learning",
      "bridge-arp-nd-suppress", "bridge-unicast-flood", "bridge-multicast-flood", "bridge-disable-mac-learning",
      "slaves", "bond_mode", "bond-primary", "bond_xmit_hash_policy", "ovs_bridge", "ovs_ports", "ovs_bonds",
      "ovs_options", "ovs_tag", "vlan-id", "vlan-raw-device", "vlan-protocol", "address", "netmask", "gateway",
      "address6", "netmask6", "gateway6", "cidr", "cidr6", "mtu", "comments", "comments6", "link-type",
      "uplink-id", "vxlan-id", "vxlan-local-tunnelip", "vxlan-physdev", "vxlan-svcnodeip"};
  return keys;
}

Status CheckDuplicates(const json& ifaces, const std::string& iface, const Params& p) {
  for (const char* key : {"gateway", "gateway6"}) {
    if (!p.Has(key)) continue;
    for (const auto& [name, d] : ifaces.items())
      if (name != iface && d.contains(key) && !ScalarText(d[key]).empty())
        return ParamError(key, std::string(key == std::string("gateway") ? "Default gateway" : "Default ipv6 gateway") +
                                   " already exists on interface '" + name + "'.");
  }
  std::string param_name, ports;
  for (const char* k : {"bridge_ports", "ovs_ports", "slaves", "ovs_bonds"}) {
    if (!p.Has(k)) continue;
    if (param_name.empty()) param_name = k;
    ports += " " + p.StrOr(k, "");
  }
  for (const auto& port : SplitList(ports)) {
    for (const auto& [name, d] : ifaces.items()) {
      if (name == iface) continue;
      std::string theirs;
      for (const char* k : {"bridge_ports", "ovs_ports", "slaves", "ovs_bonds"}) theirs += " " + d.value(k, "");
      for (const auto& q : SplitList(theirs))
        if (q == port) return ParamError(param_name, port + " is already used on interface '" + name + "'.");
    }
  }
  return Ok();
}

// map_cidr_to_address_netmask, families and methods, as create/update do them.
Status ApplyParams(json& d, Params& p, bool create) {
  for (const char* fam : {"", "6"}) {
    std::string f = fam;
    if (auto cidr = p.Str("cidr" + f)) {
      if (p.Has("address" + f)) return ParamError("address" + f, "address" + f + " conflicts with cidr" + f);
      if (p.Has("netmask" + f)) return ParamError("netmask" + f, "netmask" + f + " conflicts with cidr" + f);
      auto slash = cidr->rfind('/');
      p.Set("address" + f, cidr->substr(0, slash));
      p.Set("netmask" + f, cidr->substr(slash + 1));
      p.Erase("cidr" + f);
    }
  }
  for (const auto& key : p.Keys()) {
    if (!IfaceKeys().contains(key)) continue;
    std::string v = p.StrOr(key, "");
    if (key == "autostart" || key == "bridge_vlan_aware") d[key] = std::stoi(v);
    else if (key == "bridge_vids") {
      std::string joined;
      for (const auto& x : SplitList(v)) joined += (joined.empty() ? "" : " ") + x;
      if (joined.empty()) return ParamError("bridge_vids", "VLAN list items are empty");
      d[key] = joined;
    } else d[key] = v;
  }
  json families = create ? json::array() : d.value("families", json::array());
  auto has = [&](const char* f) { return std::find(families.begin(), families.end(), f) != families.end(); };
  bool addr = d.contains("address") && !ScalarText(d["address"]).empty();
  bool addr6 = d.contains("address6") && !ScalarText(d["address6"]).empty();
  if (create) {
    if (addr) families.push_back("inet");
    if (addr6) families.push_back("inet6");
  } else {
    if (p.Has("address")) { if (!has("inet")) families.push_back("inet"); }
    else families.erase(std::remove(families.begin(), families.end(), json("inet")), families.end());
    if (p.Has("address6")) { if (!has("inet6")) families.push_back("inet6"); }
    else families.erase(std::remove(families.begin(), families.end(), json("inet6")), families.end());
  }
  if (families.empty()) families = json::array({"inet"});
  d["families"] = families;
  d["method"] = (create ? addr : p.Has("address")) ? "static" : "manual";
  d["method6"] = (create ? addr6 : p.Has("address6")) ? "static" : "manual";
  d.erase("cidr");
  d.erase("cidr6");
  return Ok();
}

Result<Reply> CreateIface(Call& c) {
  std::string iface = c.params.StrOr("iface", "");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  NodeNetwork n = Load(c.sim, c.node);
  if (n.config.ifaces.contains(iface)) return ParamError("iface", "interface already exists");
  Params p = c.params;
  if (auto st = CheckDuplicates(n.config.ifaces, iface, p); !st) return Fail(st.error());
  std::string type = p.StrOr("type", "");
  if (type.rfind("OVS", 0) == 0) return Die("Open VSwitch is not installed (need package 'openvswitch-switch')");
  json d = json::object();
  if (auto st = ApplyParams(d, p, true); !st) return Fail(st.error());
  n.config.ifaces[iface] = d;
  if (auto st = Stage(c.sim, c.node, n.config); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> UpdateIface(Call& c) {
  std::string iface = c.params.StrOr("iface", "");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  NodeNetwork n = Load(c.sim, c.node);
  if (!n.config.ifaces.contains(iface)) return ParamError("iface", "interface does not exist");
  json& d = n.config.ifaces[iface];
  for (const auto& k : SplitList(c.params.StrOr("delete", ""))) {
    d.erase(k);
    if (k == "cidr") { d.erase("netmask"); d.erase("address"); }
    if (k == "cidr6") { d.erase("netmask6"); d.erase("address6"); }
  }
  Params p = c.params;
  p.Erase("delete");
  if (auto st = CheckDuplicates(n.config.ifaces, iface, p); !st) return Fail(st.error());
  if (auto st = ApplyParams(d, p, false); !st) return Fail(st.error());
  if (auto st = Stage(c.sim, c.node, n.config); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> ReadIface(Call& c) {
  std::string iface = c.params.StrOr("iface", "");
  NodeNetwork n = Load(c.sim, c.node);
  if (!n.config.ifaces.contains(iface)) return ParamError("iface", "interface does not exist");
  json d = n.config.ifaces[iface];
  if (n.active.contains(iface)) d["active"] = 1;
  return Reply(d);
}

Result<Reply> DeleteIface(Call& c) {
  std::string iface = c.params.StrOr("iface", "");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  NodeNetwork n = Load(c.sim, c.node);
  if (!n.config.ifaces.contains(iface)) return ParamError("iface", "interface does not exist");
  n.config.ifaces.erase(iface);
  if (auto st = Stage(c.sim, c.node, n.config); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> Reload(Call& c) {
  Simulator& sim = c.sim;
  std::string node = c.node;
  bool frr = c.params.Bool("regenerate-frr");
  std::string upid = sim.tasks().Start(node, "srvreload", "networking", c.caller.Userid(), [&sim, node, frr](TaskContext& ctx) -> Status {
    if (auto st = ctx.Work(); !st) return st;
    std::lock_guard<std::mutex> lock(sim.mu());
    if (auto staged = sim.facts().ReadNodeFile(node, kStaged)) {
      const std::string before = sim.facts().ReadNodeFile(node, kCurrent).value_or("");
      if (auto st = sim.facts().WriteNodeFile(node, kCurrent, *staged); !st) return st;
      NoteNetworkReload(sim.facts(), node, before, *staged);
      if (auto st = sim.facts().RemoveNodeFile(node, kStaged); !st) return st;
    }
    if (frr) ctx.Log("regenerating FRR configuration");
    sim.MarkDirty();
    return Ok();
  });
  return Reply(upid);
}

}  // namespace

void AddNetworkRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/network", kProxyNode, ListNetwork);
  t.Add("POST", "/nodes/{node}/network", kProxyNode, CreateIface);
  t.Add("PUT", "/nodes/{node}/network", kProxyNode, Reload);
  t.Add("DELETE", "/nodes/{node}/network", kProxyNode, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    if (auto st = c.sim.facts().RemoveNodeFile(c.node, kStaged); !st) return Fail(st.error());
    c.sim.MarkDirty();
    return Reply(nullptr);
  });
  t.Add("GET", "/nodes/{node}/network/{iface}", kProxyNode, ReadIface);
  t.Add("PUT", "/nodes/{node}/network/{iface}", kProxyNode, UpdateIface);
  t.Add("DELETE", "/nodes/{node}/network/{iface}", kProxyNode, DeleteIface);
}

}  // namespace pvesim
