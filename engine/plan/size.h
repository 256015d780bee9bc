// Byte sizes as Proxmox writes them (32G, 512M, 1.5T, or a plain number of bytes), compared in bytes.
#pragma once

#include <cstdint>
#include <optional>

#include "hainfra/value.h"

namespace hainfra::plan {

// Bytes of a size value: a non-negative integer (bytes) or a string "<number>[K|M|G|T|P][B|iB]"
// with binary multiples (Proxmox's units); nullopt when the value is not a size.
std::optional<int64_t> ParseSize(const Value& value);

}  // namespace hainfra::plan
