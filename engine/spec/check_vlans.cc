// SDN VLAN networks: the VNets naming one zone agree on its bridge, tags are unique in a zone, the bridge
// exists on every node whose network hainfra manages, subnet gateways lie inside their subnet.
#include <map>
#include <set>

#include "engine/spec/checks.h"
#include "engine/spec/ip_math.h"

namespace hainfra::spec {

void CheckVlans(CheckContext& ctx) {
  std::map<std::string, const Resource*> zone_owner;                   // zone -> first vnet naming it
  std::map<std::pair<std::string, int64_t>, const Resource*> tags;     // (zone, tag) -> vnet
  std::set<std::string> interfaces;                                    // every iface name on every node
  for (const Resource* node : ctx.OfKind("node")) {
    for (const Value& iface : ListAt(node->body, "network")) interfaces.insert(Str(iface, "iface"));
  }
  for (const Resource* vlan : ctx.OfKind("vlan")) {
    if (interfaces.count(vlan->address.name) != 0) {
      ctx.Error(*vlan, "/name", "`" + vlan->address.name + "` is also a node interface name: pick another VNet name");
    }
    if (vlan->absent) continue;
    const std::string zone = Str(vlan->body, "zone");
    const std::string bridge = Str(vlan->body, "bridge");
    if (!zone.empty()) {
      auto [it, inserted] = zone_owner.emplace(zone, vlan);
      const std::string first_bridge = Str(it->second->body, "bridge");
      if (!inserted && !bridge.empty() && !first_bridge.empty() && bridge != first_bridge) {
        ctx.Error(*vlan, "/bridge", "zone " + zone + " uses bridge " + first_bridge + " (" +
                                        it->second->address.ToString() + "), not " + bridge);
      }
      if (vlan->body.contains("tag") && vlan->body["tag"].is_number_integer()) {
        const int64_t tag = vlan->body["tag"].get<int64_t>();
        auto [t, fresh] = tags.emplace(std::make_pair(zone, tag), vlan);
        if (!fresh) {
          ctx.Error(*vlan, "/tag", "tag " + std::to_string(tag) + " is also used by " + t->second->address.ToString() +
                                       " in zone " + zone);
        }
      }
    }
    if (!bridge.empty()) {
      for (const Resource* node : ctx.OfKind("node")) {
        if (node->absent || !Has(node->body, "network")) continue;
        bool found = false;
        for (const Value& iface : node->body["network"]) {
          found = found || (Str(iface, "iface") == bridge && Str(iface, "type") == "bridge");
        }
        if (!found) {
          ctx.Error(*vlan, "/bridge", "bridge " + bridge + " is not declared on " + node->address.ToString() +
                                          " (a VLAN zone needs its bridge on every node)");
        }
      }
    }
    const Value& subnets = ListAt(vlan->body, "subnets");
    for (size_t i = 0; i < subnets.size(); ++i) {
      const std::string gateway = Str(subnets[i], "gateway");
      const std::string cidr = Str(subnets[i], "cidr");
      if (!gateway.empty() && !cidr.empty() && !InNetwork(gateway, cidr)) {
        ctx.Error(*vlan, "/subnets/" + std::to_string(i) + "/gateway",
                  "gateway " + gateway + " is outside the subnet " + cidr);
      }
    }
  }
}

}  // namespace hainfra::spec
