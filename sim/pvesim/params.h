// Request parameters as pve-http-server extracts them: form or JSON body merged with the query string.
// Values keep their JSON type until validated; accessors read them the way Perl code would.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

using json = nlohmann::json;

class Params {
 public:
  Params() : values_(json::object()) {}
  explicit Params(json values) : values_(std::move(values)) {}

  bool Has(const std::string& key) const { return values_.contains(key) && !values_[key].is_null(); }
  // The scalar as Perl stringifies it (true -> "1", 2.5 -> "2.5"); nullopt when absent or not a scalar.
  std::optional<std::string> Str(const std::string& key) const;
  std::string StrOr(const std::string& key, const std::string& fallback) const;
  std::optional<long long> Int(const std::string& key) const;
  // Proxmox booleans: 1/0 (also on/off, yes/no, true/false as parse_boolean accepts).
  bool Bool(const std::string& key, bool fallback = false) const;
  void Set(const std::string& key, json value) { values_[key] = std::move(value); }
  // Removes and returns a parameter (Perl's extract_param).
  std::optional<std::string> Take(const std::string& key);
  void Erase(const std::string& key) { values_.erase(key); }
  std::vector<std::string> Keys() const;
  const json& Raw() const { return values_; }
  json& Raw() { return values_; }

 private:
  json values_;
};

// Perl's stringification of a JSON scalar.
std::string ScalarText(const json& value);

// PVE::JSONSchema::parse_boolean: 1/on/yes/true -> true, 0/off/no/false -> false.
std::optional<bool> ParseBoolean(std::string_view text);

// application/x-www-form-urlencoded, '&' or ';' separated; repeated keys become arrays.
json DecodeForm(std::string_view body);

// Percent-decoding with '+' as space.
std::string UrlDecode(std::string_view text);
std::string UrlEncode(std::string_view text);

// Body (JSON when Content-Type says so, else form) merged with the query string, query winning.
Result<json> ExtractParams(const std::string& method, const std::string& content_type, const std::string& body,
                           const std::string& query);

}  // namespace pvesim
