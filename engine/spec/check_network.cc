// Node interfaces as the PVE network API accepts them: keys that fit the type, one default gateway per
// family, a port in one place only, gateways inside their network, no address used twice in the cluster.
#include <map>

#include "engine/spec/checks.h"
#include "engine/spec/ip_math.h"

namespace hainfra::spec {
namespace {

struct TypeKeys {
  const char* type;
  std::vector<const char*> keys;
};

// Keys that belong to one interface type only.
const std::vector<TypeKeys> kTypeOnlyKeys = {
    {"bridge", {"ports", "vlan_aware", "vids"}},
    {"bond", {"slaves", "bond_mode", "hash_policy", "bond_primary"}},
    {"vlan", {"vlan_raw_device", "vlan_id"}},
};

void CheckTypeKeys(CheckContext& ctx, const Resource& node, const Value& iface, const std::string& pointer) {
  const std::string type = Str(iface, "type");
  if (type.empty()) return;
  for (const TypeKeys& t : kTypeOnlyKeys) {
    if (t.type == type) continue;
    for (const char* key : t.keys) {
      if (Has(iface, key)) {
        ctx.Error(node, pointer + "/" + key, "`" + std::string(key) + "` applies to " + t.type + " interfaces only (" +
                                                 Str(iface, "iface") + " is of type " + type + ")");
      }
    }
  }
  const std::string name = Str(iface, "iface");
  if (type == "bond" && !Has(iface, "slaves")) {
    ctx.Error(node, pointer, "bond " + name + " needs `slaves` (its member NICs)");
  }
  if (type == "bond" && Has(iface, "bond_primary")) {
    const std::string primary = Str(iface, "bond_primary");
    bool found = false;
    for (const Value& s : ListAt(iface, "slaves")) found = found || s == primary;
    if (!found) ctx.Error(node, pointer + "/bond_primary", "bond_primary " + primary + " is not one of the slaves");
  }
  if (type == "vlan" && name.find('.') == std::string::npos &&
      !(Has(iface, "vlan_raw_device") && Has(iface, "vlan_id"))) {
    ctx.Error(node, pointer, "vlan " + name + " needs a name like eno1.30, or vlan_raw_device and vlan_id");
  }
}

void CheckGateway(CheckContext& ctx, const Resource& node, const Value& iface, const std::string& pointer,
                  const char* gateway_key, const char* cidr_key, std::string& owner) {
  const std::string gateway = Str(iface, gateway_key);
  if (gateway.empty()) return;
  const std::string name = Str(iface, "iface");
  if (!owner.empty()) {
    ctx.Error(node, pointer + "/" + gateway_key,
              "only one interface per node may have a " + std::string(gateway_key) + " (" + owner + " has one)");
    return;
  }
  owner = name;
  const std::string cidr = Str(iface, cidr_key);
  if (cidr.empty()) {
    ctx.Error(node, pointer + "/" + gateway_key, std::string(gateway_key) + " needs `" + cidr_key + "` on " + name);
  } else if (!InNetwork(gateway, cidr)) {
    ctx.Error(node, pointer + "/" + gateway_key, std::string(gateway_key) + " " + gateway + " is outside " + name +
                                                     "'s network " + cidr);
  }
}

}  // namespace

void CheckNetwork(CheckContext& ctx) {
  std::map<std::string, std::string> addresses;  // interface address -> "node/x vmbr0"
  for (const Resource* node : ctx.OfKind("node")) {
    if (node->absent || !Has(node->body, "network")) continue;
    const Value& network = node->body["network"];
    std::map<std::string, std::string> types;        // iface -> type on this node
    for (const Value& iface : network) types[Str(iface, "iface")] = Str(iface, "type");
    std::map<std::string, std::string> port_owner;   // port -> the bridge or bond using it
    std::string gateway4, gateway6;
    bool address_on_interface = false, any_cidr = false;
    for (size_t i = 0; i < network.size(); ++i) {
      const Value& iface = network[i];
      const std::string pointer = "/network/" + std::to_string(i);
      const std::string name = Str(iface, "iface");
      CheckTypeKeys(ctx, *node, iface, pointer);
      CheckGateway(ctx, *node, iface, pointer, "gateway", "cidr", gateway4);
      CheckGateway(ctx, *node, iface, pointer, "gateway6", "cidr6", gateway6);
      for (const char* list : {"ports", "slaves"}) {
        const Value ports = iface.value(list, Value::array());
        for (size_t p = 0; p < ports.size(); ++p) {
          const std::string port = ports[p].get<std::string>();
          const std::string port_pointer = pointer + "/" + list + "/" + std::to_string(p);
          auto [it, inserted] = port_owner.emplace(port, name);
          if (!inserted) ctx.Error(*node, port_pointer, port + " is already used by " + it->second);
          if (port == name) ctx.Error(*node, port_pointer, name + " cannot be its own port");
          if (auto t = types.find(port); t != types.end() && t->second == "bridge") {
            ctx.Error(*node, port_pointer, port + " is a bridge and cannot be a port of " + name);
          }
        }
      }
      for (const char* key : {"cidr", "cidr6"}) {
        const std::string cidr = Str(iface, key);
        if (cidr.empty()) continue;
        any_cidr = true;
        const std::string address(CidrAddress(cidr));
        if (address == Str(node->body, "address")) address_on_interface = true;
        auto [it, inserted] = addresses.emplace(address, node->address.ToString() + " " + name);
        if (!inserted) {
          ctx.Error(*node, pointer + "/" + key, "address " + address + " is also used by " + it->second);
        }
      }
    }
    if (any_cidr && !address_on_interface && Has(node->body, "address")) {
      ctx.Warning(*node, "/address", "address " + Str(node->body, "address") +
                                         " is on none of the node's declared interfaces");
    }
  }
}

}  // namespace hainfra::spec
