// Translation of SDN objects (GET /cluster/sdn/{zones,vnets,subnets}) into the `vlans:` spec shape and back.
#pragma once

#include <string>
#include <vector>

#include "hainfra/value.h"

namespace hainfra::providers {

// A VNet (one view of SplitSdnPending) as a spec body; `zone_bridge` is its zone's bridge, `subnets` the
// subnet views of the same kind (running or pending).
Value VlanFromSdn(const Value& vnet, const std::string& zone_bridge, const std::vector<Value>& subnets);

// Canonical body: tag as integer, booleans, canonical subnet cidrs/gateways, `state: present` dropped.
void NormalizeVlan(Value& body);

// Proxmox's id of a subnet: "<zone>-<network address>-<prefix>".
std::string SubnetId(const std::string& zone, const std::string& cidr);

// POST/PUT parameters of a vnet from a spec body (only the keys it writes).
Value VnetParams(const Value& body);
// POST/PUT parameters of a subnet from a spec subnet entry.
Value SubnetParams(const Value& subnet);

// True when `have` differs from `want` on a key `want` writes (both normalized).
bool SdnDiffers(const Value& want, const Value& have, const std::vector<std::string>& keys);

}  // namespace hainfra::providers
