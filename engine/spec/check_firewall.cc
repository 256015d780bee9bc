// The firewall: rules Proxmox would refuse (ports without a protocol), and the lock-out check — enabling the
// firewall or writing the cluster's or a node's rules is refused when the resulting rule set would not accept
// SSH (22) and the API (8006) at every node from the management network (`firewall.cluster.management`, else
// the network of each node's management address), located at the rule (or the policy) that would drop them.
#include <set>

#include "engine/spec/checks.h"
#include "engine/spec/firewall_lockout.h"
#include "engine/spec/ip_math.h"

namespace hainfra::spec {
namespace {

void CheckFirewallRuleFields(CheckContext& ctx, const Resource& r) {
  const Value& rules = ListAt(r.body, "rules");
  for (size_t i = 0; i < rules.size(); ++i) {
    const Value& rule = rules[i];
    const std::string at = "/rules/" + std::to_string(i);
    const bool group = Str(rule, "type") == "group";
    const std::string action = Str(rule, "action");
    if (!group && action != "ACCEPT" && action != "DROP" && action != "REJECT") {
      ctx.Error(r, at + "/action", "action `" + action + "` is not ACCEPT, DROP or REJECT (a security group is "
                                   "inserted with type: group)");
    }
    if (group && !ctx.Find("firewall_group", action) && !action.empty()) {
      ctx.Warning(r, at + "/action", "security group `" + action + "` is not declared in firewall.groups: it must "
                                     "exist in the cluster");
    }
    for (const char* key : {"dport", "sport"}) {
      if (Has(rule, key) && !Has(rule, "proto") && !Has(rule, "macro")) {
        ctx.Error(r, at + "/" + key, std::string("`") + key + "` needs `proto` (tcp or udp) or a macro");
      }
    }
  }
}

FirewallModel BuildFirewallModel(CheckContext& ctx, const Resource* cluster) {
  FirewallModel model;
  if (cluster != nullptr) {
    model.cluster_rules = ListAt(cluster->body, "rules");
    if (Has(cluster->body, "policy_in")) model.policy_in = Str(cluster->body, "policy_in");
  }
  for (const Resource* g : ctx.OfKind("firewall_group")) {
    if (!g->absent) model.groups[g->address.name] = ListAt(g->body, "rules");
  }
  for (const Resource* a : ctx.OfKind("firewall_alias")) {
    std::string lower = a->address.name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!a->absent) model.aliases[lower] = Str(a->body, "cidr");
  }
  for (const Resource* s : ctx.OfKind("firewall_ipset")) {
    if (!s->absent) model.ipsets[s->address.name] = ListAt(s->body, "entries");
  }
  return model;
}

// The node's management address, its interface and network, from nodes[].
FirewallNodeView FirewallNodeViewOf(const Resource& node) {
  FirewallNodeView view;
  view.name = node.address.name;
  view.address = Str(node.body, "address");
  for (const Value& iface : ListAt(node.body, "network")) {
    const std::string cidr = Str(iface, "cidr");
    if (cidr.empty() || view.address.empty() || std::string(CidrAddress(cidr)) != view.address) continue;
    view.local_network = cidr;
    view.management_iface = Str(iface, "iface");
  }
  return view;
}

std::string FirewallPortName(int port) { return port == 22 ? "SSH (tcp/22)" : "the API (tcp/8006)"; }

}  // namespace

void CheckFirewall(CheckContext& ctx) {
  for (const char* kind : {"firewall_cluster", "firewall_node", "firewall_guest", "firewall_group"}) {
    for (const Resource* r : ctx.OfKind(kind)) CheckFirewallRuleFields(ctx, *r);
  }
  const std::vector<const Resource*>& clusters = ctx.OfKind("firewall_cluster");
  const Resource* cluster = clusters.empty() ? nullptr : clusters.front();
  // The check applies when the spec turns the firewall on or writes the rules of the cluster or a node; a
  // spec that says `enable: false` turns it off, which cannot lock anyone out.
  const bool off = cluster != nullptr && Has(cluster->body, "enable") && !cluster->body.value("enable", false);
  bool writes = cluster != nullptr && (cluster->body.value("enable", false) || Has(cluster->body, "rules") ||
                                       Has(cluster->body, "policy_in"));
  for (const Resource* n : ctx.OfKind("firewall_node")) writes = writes || Has(n->body, "rules");
  if (off || !writes) return;
  FirewallModel model = BuildFirewallModel(ctx, cluster);
  std::vector<std::string> declared;
  if (cluster != nullptr) {
    for (const Value& s : ListAt(cluster->body, "management")) declared.push_back(s.get<std::string>());
  }
  std::set<std::string> reported;
  for (const Resource* node : ctx.OfKind("node")) {
    if (node->absent) continue;
    FirewallNodeView view = FirewallNodeViewOf(*node);
    const Resource* own = ctx.Find("firewall_node", view.name);
    if (own != nullptr) {
      if (Has(own->body, "enable") && !own->body.value("enable", true)) continue;  // host firewall off
      view.rules = ListAt(own->body, "rules");
    }
    std::vector<std::string> sources = declared;
    if (sources.empty() && !view.local_network.empty()) sources.push_back(view.local_network);
    if (sources.empty()) {
      const Resource& at = cluster != nullptr ? *cluster : own != nullptr ? *own : *node;
      if (reported.insert("management").second) {
        ctx.Error(at, "", "the firewall is enabled or its rules are written, but hainfra cannot tell where SSH and "
                          "the API are used from (node " + view.name + " declares no network carrying its address "
                          "" + view.address + "): list those networks in firewall.cluster.management");
      }
      continue;
    }
    for (const std::string& source : sources) {
      for (int port : {22, 8006}) {
        FirewallVerdict v = JudgeFirewall(model, view, source, port);
        if (v.accepted) continue;
        const Resource* where = cluster;
        std::string pointer = "/policy_in";
        if (v.list == "node") where = own, pointer = "/rules/" + std::to_string(v.index);
        else if (v.list == "cluster") pointer = "/rules/" + std::to_string(v.index);
        else if (v.list.rfind("group:", 0) == 0) {
          where = ctx.Find("firewall_group", v.list.substr(6));
          pointer = "/rules/" + std::to_string(v.index);
        }
        if (where == nullptr) where = cluster != nullptr ? cluster : own;
        if (where == nullptr) continue;
        const std::string key = where->address.ToString() + pointer;  // one error per rule (or policy)
        if (!reported.insert(key).second) continue;
        const std::string by = v.list.empty() ? "the input policy " + v.action
                                              : "this rule (" + v.action + ")";
        ctx.Error(*where, v.list.empty() && !Has(where->body, "policy_in") ? "" : pointer,
                  "locks out: " + by + " would drop " + FirewallPortName(port) + " from the management network " + source +
                      " to node " + view.name + " — accept SSH and the API from it before this (or correct "
                      "firewall.cluster.management)");
      }
    }
  }
}

}  // namespace hainfra::spec
