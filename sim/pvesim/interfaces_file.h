// /etc/network/interfaces as PVE::Network::Interfaces reads and writes it: interfaces with their type,
// methods, families, addresses (cidr), bridge/bond/vlan options, comments and extra option lines, kept in
// file order by priority; written back in PVE's order with its header comment. Plus `diff -u` output for
// the pending changes GET /nodes/{node}/network reports.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

struct InterfacesConfig {
  nlohmann::json ifaces = nlohmann::json::object();  // name -> attributes, as the API lists them
  std::vector<std::pair<int, std::string>> options;  // non-iface lines ("source /etc/network/interfaces.d/*")
};

// `physical` names the node's NICs (they get "exists": 1 and type eth).
InterfacesConfig ParseInterfaces(const std::string& text, const std::set<std::string>& physical);

// __write_etc_network_interfaces, including its consistency checks (errors are Proxmox's die texts).
Result<std::string> WriteInterfaces(InterfacesConfig config);

// `diff -u old new` (with -b's whitespace tolerance), or "" when equal.
std::string UnifiedDiff(const std::string& old_name, const std::string& old_text, const std::string& new_name,
                        const std::string& new_text);

// The installer's /etc/network/interfaces: NICs, vmbr0 on the first one with the management address.
std::string InstallerInterfaces(const std::vector<std::string>& nics, const std::string& cidr, const std::string& gateway);

}  // namespace pvesim
