// Proxmox property strings ("virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=20"): splitting against a format
// schema (default keys, aliases, key aliases) and printing in print_property_string's key order.
// Type checks of the values are the schema validator's job.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pvesim {

using PropertyMap = std::map<std::string, std::string>;

// Splits `data` like parse_property_string; the error is Proxmox's die text (ending in "\n").
std::expected<PropertyMap, std::string> SplitPropertyString(const nlohmann::json& format, const std::string& data);

// Splits without a schema: "a=1,b=2,plain" -> {a:1, b:2, "":plain} (the unnamed part under "").
PropertyMap SplitLoose(const std::string& data);

// print_property_string: default key first (combined "<model>=<mac>" for key aliases), then required
// keys, then the rest, both sorted; `disk-size` values printed with format_size.
std::string PrintPropertyString(const PropertyMap& data, const nlohmann::json& format);

// PVE::JSONSchema::parse_size ("32G" -> bytes) and format_size (bytes -> "32G").
std::optional<uint64_t> ParseSize(const std::string& text);
std::string FormatSize(uint64_t bytes);

}  // namespace pvesim
