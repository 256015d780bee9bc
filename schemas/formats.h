// The named string formats a FieldSpec may use (`format: "pve-node"`): how the loader checks them and the
// equivalent regular expression the JSON Schema carries. The rules follow Proxmox's own validators
// (pve-common PVE::JSONSchema, pve-network, pve-ha-manager); tests check that checker and regex agree.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace hainfra::schemas {

struct FormatSpec {
  std::string_view name;     // "pve-node"
  std::string_view pattern;  // ECMAScript regex, anchored with ^...$, for the JSON Schema
  std::string_view what;     // what a valid value looks like, for messages: "a node name (letters, ...)"
  bool (*check)(std::string_view value);  // the loader's fast check; agrees with `pattern`
};

// Every format, in a stable order.
const std::vector<FormatSpec>& Formats();

// The format of that name; nullptr when there is none.
const FormatSpec* FindFormat(std::string_view name);

// Byte size as Proxmox parses it (`32G`, `512M`, `1.5T`, `4096`, `2GiB`); false when malformed or too big.
bool ParseSize(std::string_view text, int64_t& bytes);

// Building blocks other checks use directly.
bool IsIpv4(std::string_view text);
bool IsIpv6(std::string_view text);
// `10.0.0.0/24` or an IPv6 CIDR; yields the address part and the prefix length.
bool SplitCidr(std::string_view text, std::string_view& address, int& prefix);

}  // namespace hainfra::schemas
