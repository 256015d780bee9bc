// A qemu guest's config file as qemu-server reads and writes it (nodes/<node>/qemu-server/<vmid>.conf):
// "key: value" lines sorted by key, the description as leading '#' comments, a [PENDING] section (with its
// `delete` list) and [snapshot] sections. The digest is the SHA-1 of the file's bytes.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace pvesim {

using ConfigMap = std::map<std::string, std::string>;

struct GuestConfig {
  ConfigMap main;                              // includes "description" when set
  ConfigMap pending;                           // includes "delete" ("a,!b") when deletions are pending
  std::map<std::string, ConfigMap> snapshots;  // name -> config
  std::string digest;                          // of the text it was parsed from
};

GuestConfig ParseGuestConfig(const std::string& raw);
std::string WriteGuestConfig(const GuestConfig& conf);

// The value typed as qemu-server's check_type returns it (integers and booleans as numbers).
nlohmann::json TypedConfigValue(const std::string& key, const std::string& value);

// Pending deletions: "a,!b" <-> {a: false, b: true(force)}.
std::map<std::string, bool> ParsePendingDelete(const std::string& text);
std::string PrintPendingDelete(const std::map<std::string, bool>& deletions);

// GET .../config: pending values applied unless `current`, plus "digest".
nlohmann::json ConfigJson(const GuestConfig& conf, bool current);

// PVE::Tools encode_text/decode_text for description comment lines.
std::string EncodeText(const std::string& text);
std::string DecodeText(const std::string& text);

}  // namespace pvesim
