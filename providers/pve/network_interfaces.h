// Node interfaces between Proxmox's shape (GET/POST/PUT /nodes/{node}/network: `bridge_ports` as a
// space-separated string, `bridge_vlan_aware` 0/1, `vlan-raw-device`, address + netmask, `comments` with a
// trailing newline, ...) and the spec's (`ports: [...]`, `vlan_aware: true`, `cidr`, `comment`).
#pragma once

#include <string>
#include <vector>

#include "hainfra/value.h"

namespace hainfra::pve {

// The spec's interface keys that hainfra manages (everything of an `interfaces` entry but `iface`/`state`).
const std::vector<std::string>& ManagedInterfaceKeys();

// One entry of GET /nodes/{node}/network in the spec's shape. Keys that apply to its type are always
// present (`ports: []`, `vlan_aware: false`, `comment: ""`, ...) so that a value the spec writes compares
// with what the node has; a VLAN-aware bridge without `bridge_vids` carries Proxmox's default 2-4094.
// `exists: true` marks a physical NIC; `active` is left out (it is state, not configuration).
Value InterfaceFromApi(const Value& item);

// Canonical form of a spec-shaped interface (desired and observed alike): IPs and CIDRs in canonical
// text, VLAN id lists merged and sorted, port lists sorted, trailing whitespace of comments dropped,
// integers as integers, `state: present` dropped (it is the default).
void NormalizeInterface(Value& iface);

// True when a VLAN interface is named `<parent>.<tag>`; then its raw device and id follow from the name.
bool IsDottedVlan(const std::string& name);

// POST/PUT parameters for a spec-shaped interface (without `iface`): every managed key it holds, in
// Proxmox's names and spelling. Empty lists and comments are left out (see RemovedParams).
Value InterfaceParams(const Value& iface);

// Proxmox's names of the keys `before` has and `after` lacks (or holds empty): the PUT `delete` list.
std::vector<std::string> RemovedParams(const Value& before, const Value& after);

// True when two spec-shaped interfaces agree on every managed key (both normalized).
bool SameInterface(const Value& a, const Value& b);

}  // namespace hainfra::pve
