#include "sim/pvesim/params.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace pvesim {

std::string ScalarText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  if (value.is_number_float()) {
    double d = value.get<double>();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", d);
    return buf;
  }
  return "";
}

std::optional<bool> ParseBoolean(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "1" || lower == "on" || lower == "yes" || lower == "true") return true;
  if (lower == "0" || lower == "off" || lower == "no" || lower == "false") return false;
  return std::nullopt;
}

std::optional<std::string> Params::Str(const std::string& key) const {
  if (!Has(key)) return std::nullopt;
  const json& v = values_[key];
  if (v.is_array() || v.is_object()) return std::nullopt;
  return ScalarText(v);
}

std::string Params::StrOr(const std::string& key, const std::string& fallback) const {
  auto v = Str(key);
  return v ? *v : fallback;
}

std::optional<long long> Params::Int(const std::string& key) const {
  auto v = Str(key);
  if (!v) return std::nullopt;
  try {
    size_t used = 0;
    long long n = std::stoll(*v, &used);
    if (used != v->size()) return std::nullopt;
    return n;
  } catch (...) {
    return std::nullopt;
  }
}

bool Params::Bool(const std::string& key, bool fallback) const {
  auto v = Str(key);
  if (!v) return fallback;
  return ParseBoolean(*v).value_or(fallback);
}

std::optional<std::string> Params::Take(const std::string& key) {
  auto v = Str(key);
  values_.erase(key);
  return v;
}

std::vector<std::string> Params::Keys() const {
  std::vector<std::string> keys;
  for (auto it = values_.begin(); it != values_.end(); ++it) keys.push_back(it.key());
  return keys;
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

json DecodeForm(std::string_view body) {
  json result = json::object();
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find_first_of("&;", start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key = UrlDecode(pair.substr(0, eq));
      if (eq == std::string_view::npos) {
        // Perl keeps the key with an undefined value: treat it as absent.
        if (!result.contains(key)) result[key] = nullptr;
      } else {
        std::string value = UrlDecode(pair.substr(eq + 1));
        if (result.contains(key) && !result[key].is_null()) {
          if (!result[key].is_array()) result[key] = json::array({result[key]});
          result[key].push_back(value);
        } else {
          result[key] = value;
        }
      }
    }
    start = end + 1;
  }
  return result;
}

Result<json> ExtractParams(const std::string& method, const std::string& content_type, const std::string& body,
                           const std::string& query) {
  json params = json::object();
  if (method == "PUT" || method == "POST") {
    std::string ct = content_type.substr(0, content_type.find(';'));
    ct.erase(std::remove_if(ct.begin(), ct.end(), [](unsigned char c) { return std::isspace(c); }), ct.end());
    std::transform(ct.begin(), ct.end(), ct.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ct == "application/json") {
      try {
        params = body.empty() ? json::object() : json::parse(body);
      } catch (const json::exception& e) {
        return Die(std::string("malformed JSON string: ") + e.what());
      }
      if (!params.is_object()) return Die("malformed JSON string: body is not an object");
    } else {
      params = DecodeForm(body);
    }
  }
  json q = DecodeForm(query);
  for (auto it = q.begin(); it != q.end(); ++it) params[it.key()] = it.value();
  params.erase("_dc");  // ExtJS's disable-cache parameter is dropped by pve-http-server
  // Keys without a value are undefined in Perl: drop them.
  for (auto it = params.begin(); it != params.end();) {
    if (it->is_null()) it = params.erase(it); else ++it;
  }
  return params;
}

}  // namespace pvesim
