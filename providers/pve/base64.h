// Base64 (RFC 4648, with padding) for the API values Proxmox wants encoded: a webhook's body and the values
// of its headers and secrets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hainfra::pve {

std::string Base64Encode(std::string_view bytes);

// nullopt when `text` is not base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace hainfra::pve
