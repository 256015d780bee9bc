#include "providers/pve/property_string.h"

#include <algorithm>

namespace hainfra::pve {
namespace {

// Splits on commas outside double quotes, unquoting quoted values.
Result<std::vector<std::string>> SplitParts(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\' && i + 1 < text.size()) {
        current += text[++i];
      } else if (c == '"') {
        quoted = false;
      } else {
        current += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      parts.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (quoted) return Fail(Code::kInvalidArgument, "unterminated quote in property string '" + std::string(text) + "'");
  parts.push_back(std::move(current));
  return parts;
}

bool NeedsQuotes(std::string_view value) {
  return std::any_of(value.begin(), value.end(),
                     [](char c) { return c == ',' || c == '"' || c == ' ' || c == '\t' || c == '\\'; });
}

std::string Quote(std::string_view value) {
  if (!NeedsQuotes(value)) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

const std::string* PropertyString::Find(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

void PropertyString::Set(std::string key, std::string value) {
  for (auto& [k, v] : entries) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  entries.emplace_back(std::move(key), std::move(value));
}

void PropertyString::Erase(std::string_view key) {
  std::erase_if(entries, [&](const auto& e) { return e.first == key; });
}

Result<PropertyString> ParsePropertyString(std::string_view text, std::string_view default_key) {
  PropertyString ps;
  if (text.empty()) return ps;
  Result<std::vector<std::string>> parts = SplitParts(text);
  if (!parts) return Fail(parts.error());
  auto bad = [&](const std::string& why) {
    return Fail(Code::kInvalidArgument, why + " in property string '" + std::string(text) + "'");
  };
  for (const std::string& part : *parts) {
    if (part.empty()) continue;  // Proxmox tolerates a trailing comma
    const size_t eq = part.find('=');
    std::string key;
    std::string value;
    if (eq == std::string::npos) {
      if (default_key.empty()) return bad("'" + part + "' has no key");
      key = std::string(default_key);
      value = part;
    } else {
      key = part.substr(0, eq);
      value = part.substr(eq + 1);
      if (key.empty()) return bad("empty key");
      // Only quotes put these in a key (Proxmox's keys are names): it could not be written back.
      if (key.find_first_of(",\"") != std::string::npos) return bad("quoted key '" + key + "'");
    }
    if (ps.Find(key) != nullptr) return bad("repeated key '" + key + "'");
    ps.entries.emplace_back(std::move(key), std::move(value));
  }
  return ps;
}

std::string FormatPropertyString(const PropertyString& ps, std::string_view default_key) {
  std::string out;
  auto append = [&](std::string piece) {
    if (!out.empty()) out += ',';
    out += piece;
  };
  // The default key's value goes first without its key, unless it would then read as something else: an
  // empty part is skipped, and a part with '=' is a key=value pair (quotes do not change that).
  bool bare_default = false;
  if (!default_key.empty()) {
    const std::string* value = ps.Find(default_key);
    bare_default = value != nullptr && !value->empty() && value->find('=') == std::string::npos;
    if (bare_default) append(Quote(*value));
  }
  for (const auto& [key, value] : ps.entries) {
    if (bare_default && key == default_key) continue;
    append(key + "=" + Quote(value));
  }
  return out;
}

}  // namespace hainfra::pve
