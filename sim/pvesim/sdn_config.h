// SDN configuration as pve-network keeps it: sdn/zones.cfg, sdn/vnets.cfg, sdn/subnets.cfg (section
// configs, the pending state), sdn/.running-config (JSON, what `PUT /cluster/sdn` applied) and sdn/.lock
// (PVE 9's global lock token).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/section_config.h"
#include "sim/pvesim/simulator.h"

namespace pvesim {

const SectionSchema& SdnZoneSchema();
const SectionSchema& SdnVnetSchema();
const SectionSchema& SdnSubnetSchema();

// The object kinds and their files: "zones" -> sdn/zones.cfg, ...
std::string SdnFile(const std::string& kind);
const SectionSchema& SdnSchema(const std::string& kind);

// The pending (current) config of a kind: "zones", "vnets" or "subnets".
SectionFile ReadSectionsRaw(Simulator& sim, const std::string& kind);

// sdn/.running-config, {} when never applied.
nlohmann::json SdnRunningConfig(Simulator& sim);
// Sections of a kind as {"ids": {id: {type, ...}}} (the running-config form).
nlohmann::json SdnIds(const SectionFile& file);
// PVE::Network::SDN::pending_config: per id the merged object with `state` and `pending` where they differ.
nlohmann::json SdnPending(const nlohmann::json& running_ids, const nlohmann::json& config_ids);

// (zone, type) pairs of the running config.
std::vector<std::pair<std::string, std::string>> SdnRunningZones(Simulator& sim);

// compile_running_cfg + commit_config: the current files become the running config (version bumped).
Status SdnCommit(Simulator& sim);

}  // namespace pvesim
