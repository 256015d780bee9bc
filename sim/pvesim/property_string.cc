#include "sim/pvesim/property_string.h"

#include <regex>

#include "sim/pvesim/params.h"

namespace pvesim {

using json = nlohmann::json;

namespace {

bool IsBooleanKey(const json& format, const std::string& key) {
  return format.contains(key) && format[key].value("type", "") == "boolean";
}

std::string NormalizeBoolean(const std::string& v) {
  auto b = ParseBoolean(v);
  return b ? (*b ? "1" : "0") : v;
}

}  // namespace

std::expected<PropertyMap, std::string> SplitPropertyString(const json& format, const std::string& data) {
  PropertyMap res;
  std::optional<std::string> default_key;
  size_t start = 0;
  while (start <= data.size()) {
    size_t end = data.find(',', start);
    if (end == std::string::npos) end = data.size();
    std::string part = data.substr(start, end - start);
    start = end + 1;
    if (part.find_first_not_of(" \t\n\r") == std::string::npos) continue;
    size_t eq = part.find('=');
    if (eq != std::string::npos && eq > 0 && eq + 1 < part.size()) {
      std::string k = part.substr(0, eq), v = part.substr(eq + 1);
      if (res.contains(k)) return std::unexpected("duplicate key in comma-separated list property: " + k + "\n");
      const json* schema = format.contains(k) ? &format[k] : nullptr;
      if (schema && schema->contains("alias")) {
        if (schema->contains("keyAlias")) {
          std::string key_alias = (*schema)["keyAlias"];
          if (res.contains(key_alias)) return std::unexpected("key alias '" + key_alias + "' is already defined\n");
          res[key_alias] = k;
        }
        k = (*schema)["alias"].get<std::string>();
        schema = format.contains(k) ? &format[k] : nullptr;
        if (res.contains(k)) return std::unexpected("key '" + k + "' is already defined (via alias)\n");
      }
      if (!schema) return std::unexpected("invalid key in comma-separated list property: " + k + "\n");
      if (IsBooleanKey(format, k)) v = NormalizeBoolean(v);
      res[k] = v;
    } else if (eq == std::string::npos) {
      if (default_key) return std::unexpected("duplicate key in comma-separated list property: " + *default_key + "\n");
      for (auto it = format.begin(); it != format.end(); ++it) {
        if (it.value().is_object() && it.value().value("default_key", 0) != 0) {
          default_key = it.key();
          if (res.contains(it.key()) && !res[it.key()].empty())
            return std::unexpected("duplicate key in comma-separated list property: " + it.key() + "\n");
          res[it.key()] = IsBooleanKey(format, it.key()) ? NormalizeBoolean(part) : part;
          break;
        }
      }
      if (!default_key) return std::unexpected("value without key, but schema does not define a default key\n");
    } else {
      return std::unexpected("missing key in comma-separated list property\n");
    }
  }
  return res;
}

PropertyMap SplitLoose(const std::string& data) {
  PropertyMap res;
  size_t start = 0;
  while (start <= data.size()) {
    size_t end = data.find(',', start);
    if (end == std::string::npos) end = data.size();
    std::string part = data.substr(start, end - start);
    start = end + 1;
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string::npos) res[""] = part; else res[part.substr(0, eq)] = part.substr(eq + 1);
  }
  return res;
}

std::string PrintPropertyString(const PropertyMap& data, const json& format) {
  std::optional<std::string> default_key;
  std::map<std::string, std::string> key_alias_props;  // keyAlias -> alias target (model -> macaddr)
  for (auto it = format.begin(); it != format.end(); ++it) {
    if (!it.value().is_object()) continue;
    if (it.value().value("default_key", 0) != 0) default_key = it.key();
    if (it.value().contains("keyAlias") && it.value().contains("alias"))
      key_alias_props[it.value()["keyAlias"].get<std::string>()] = it.value()["alias"].get<std::string>();
  }
  std::string res;
  std::map<std::string, bool> done;
  auto format_value = [&](const std::string& key, const std::string& value) {
    if (format.contains(key) && format[key].value("format", "") == "disk-size") {
      if (auto bytes = ParseSize(value)) return FormatSize(*bytes);
    }
    return value;
  };
  auto add = [&](const std::string& text) {
    if (!res.empty()) res += ',';
    res += text;
  };
  auto cond_add = [&](const std::string& key, bool is_default) {
    if (done[key]) return;
    done[key] = true;
    auto it = data.find(key);
    if (it == data.end()) return;
    auto combine = key_alias_props.find(key);
    if (combine != key_alias_props.end()) {
      auto cv = data.find(combine->second);
      if (cv != data.end()) {
        add(format_value(key, it->second) + "=" + format_value(combine->second, cv->second));
        done[combine->second] = true;
        return;
      }
    }
    add(is_default ? format_value(key, it->second) : key + "=" + format_value(key, it->second));
  };
  if (default_key) cond_add(*default_key, true);
  for (const auto& [key, value] : data) {
    if (format.contains(key) && format[key].is_object() && format[key].value("optional", 0) == 0 &&
        !format[key].contains("alias"))
      cond_add(key, false);
  }
  for (const auto& [key, value] : data) cond_add(key, false);
  return res;
}

std::optional<uint64_t> ParseSize(const std::string& text) {
  static const std::regex re("^(\\d+(\\.\\d+)?)([KMGT](?:iB)?)?$");
  std::smatch m;
  if (!std::regex_match(text, m, re)) return std::nullopt;
  double size = std::stod(m[1]);
  std::string unit = m[3];
  if (!unit.empty()) {
    int shift = unit[0] == 'K' ? 10 : unit[0] == 'M' ? 20 : unit[0] == 'G' ? 30 : 40;
    size *= static_cast<double>(uint64_t{1} << shift);
  }
  return static_cast<uint64_t>(size);
}

std::string FormatSize(uint64_t size) {
  uint64_t kb = size / 1024;
  if (kb * 1024 != size) return std::to_string(size);
  uint64_t mb = kb / 1024;
  if (mb * 1024 != kb) return std::to_string(kb) + "K";
  uint64_t gb = mb / 1024;
  if (gb * 1024 != mb) return std::to_string(mb) + "M";
  uint64_t tb = gb / 1024;
  if (tb * 1024 != gb) return std::to_string(gb) + "G";
  return std::to_string(tb) + "T";
}

}  // namespace pvesim
