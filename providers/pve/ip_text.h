// Canonical text of IP addresses, CIDRs and VLAN id lists, so that equal values Proxmox and people spell
// differently (`fd00:0::1`, `FD00::1`; `2-4094` vs `2-100 101-4094`) compare equal.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hainfra::pve {

// "fd00::1" for "FD00:0:0::1", "10.0.0.1" for "10.0.0.1"; nullopt when the text is no IP address.
std::optional<std::string> CanonicalIp(std::string_view text);

// "10.0.0.11/24", "fd00::11/64" (address canonical, prefix without leading zeros); nullopt when invalid.
std::optional<std::string> CanonicalCidr(std::string_view text);

// The address part of "10.0.0.11/24"; the text itself without a '/'.
std::string_view CidrAddress(std::string_view cidr);

// True when `ip` lies inside `cidr` (same family, same network bits).
bool InNetwork(std::string_view ip, std::string_view cidr);

// VLAN id lists ("2-4094", "10 20 30-40") as sorted, merged ranges: {"10", "20", "30-40"}. Entries may
// themselves hold several ids separated by spaces or commas. nullopt when an entry is no id or range.
std::optional<std::vector<std::string>> CanonicalVlanList(const std::vector<std::string>& entries);

}  // namespace hainfra::pve
