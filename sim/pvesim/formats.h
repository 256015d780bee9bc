// The named string formats of the PVE API ("pve-node", "pve-vmid", "CIDRv4", ...) as pve-common,
// qemu-server, pve-ha-manager and pve-network register them, with their error texts.
// Formats registered server-side as property strings (not spelled out in the schema) come as schemas.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pvesim {

// nullopt when `value` is valid for the named format (or the format is unknown to us: accepted),
// otherwise the text Proxmox dies with (ending in "\n").
std::optional<std::string> CheckNamedFormat(const std::string& format, const std::string& value);

// The property-string schema of a named hash format (pve-qm-boot, pve-qm-ipconfig, prune-backups, ...),
// or nullptr when the format is not a property string we know.
const nlohmann::json* NamedHashFormat(const std::string& format);

// PVE::Tools::split_list: entries separated by ',', ';', whitespace (or NUL).
std::vector<std::string> SplitList(const std::string& text);

bool IsIpv4(const std::string& text);
bool IsIpv6(const std::string& text);

// A version-4 UUID in the 8-4-4-4-12 form (smbios1's uuid, vmgenid) drawn from `rng`.
std::string UuidV4(std::mt19937& rng);

}  // namespace pvesim
