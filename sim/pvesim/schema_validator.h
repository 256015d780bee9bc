// Parameter validation as PVE::JSONSchema::validate does it (check_prop / check_object / check_type),
// including numbered families ("net[n]"), `requires`, `instance-types` and property strings.
// Error keys and texts are Proxmox's, e.g. {"net0": "invalid format - format error\nnet0.tag: ..."}.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace pvesim {

using ValidationErrors = std::map<std::string, std::string>;

// Validates a request's parameters (an object) against a method's `parameters` schema.
ValidationErrors ValidateParameters(const nlohmann::json& params, const nlohmann::json& parameters_schema);

// Validates one value against a property schema (used for config files and tests).
ValidationErrors ValidateValue(const nlohmann::json& value, const nlohmann::json& schema, const std::string& path);

// The schema of a numbered key ("net3" -> the "net[n]" entry) in a properties object, or nullptr.
const nlohmann::json* FindProperty(const nlohmann::json& properties, const std::string& key);

// The highest index a numbered family accepts ("net" -> 31), from Proxmox's limits.
int FamilyMaxIndex(const std::string& family, const nlohmann::json& schema);

}  // namespace pvesim
