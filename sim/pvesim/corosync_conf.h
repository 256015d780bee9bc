// corosync.conf as PVE::Corosync reads and writes it: a tree where nodelist.node is keyed by node name
// and totem.interface by link number; written with sorted keys exactly like write_conf.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

// {"nodelist": {"node": {"pve-01": {...}}}, "totem": {"interface": {"0": {...}}, ...}, ...}; values are strings.
Result<nlohmann::json> ParseCorosyncConf(const std::string& text);
std::string WriteCorosyncConf(const nlohmann::json& main);

// pvecm create: the config of a new one-node cluster (config_version 0; writing bumps it).
nlohmann::json NewCorosyncConf(const std::string& cluster_name, const std::string& node, int nodeid, int votes,
                               const std::map<int, std::string>& link_addresses);

// atomic_write_conf's version bump.
void BumpConfigVersion(nlohmann::json& main);

}  // namespace pvesim
