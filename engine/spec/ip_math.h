// Just enough IP arithmetic for the spec checks: is this address inside that network.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace hainfra::spec {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4
};

// An IPv4 or IPv6 address; nullopt when it is neither.
std::optional<IpAddress> ParseIp(std::string_view text);

// True when `ip` lies inside `cidr` ("10.10.10.11" in "10.10.10.0/24"); false on mixed families or bad input.
bool InNetwork(std::string_view ip, std::string_view cidr);

// The address part of "10.0.0.11/24" ("10.0.0.11"); the text itself when it has no prefix.
std::string_view CidrAddress(std::string_view cidr);

}  // namespace hainfra::spec
