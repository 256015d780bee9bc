#include "providers/pve/pve_values.h"

#include <algorithm>
#include <charconv>

#include "providers/pve/property_string.h"

namespace hainfra::pve {
namespace {

// Retention keys in the order Proxmox's prune-backups format lists them.
constexpr std::string_view kPruneKeys[] = {"keep-all",    "keep-last",    "keep-hourly", "keep-daily",
                                           "keep-weekly", "keep-monthly", "keep-yearly"};

std::string SpecKey(std::string_view pve_key) {
  std::string out(pve_key);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

}  // namespace

std::optional<bool> BoolOf(const Value& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer() || value.is_number_unsigned()) {
    const int64_t n = value.get<int64_t>();
    if (n == 0 || n == 1) return n == 1;
    return std::nullopt;
  }
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  if (s == "1" || s == "true" || s == "yes" || s == "on") return true;
  if (s == "0" || s == "false" || s == "no" || s == "off") return false;
  return std::nullopt;
}

bool TruthOf(const Value& value) {
  if (value.is_number()) return value.get<double>() != 0;
  return BoolOf(value).value_or(false);
}

bool FlagOf(const Value& object, const char* key) {
  if (!object.is_object()) return false;
  auto it = object.find(key);
  return it != object.end() && !it->is_null() && TruthOf(*it);
}

std::optional<int64_t> IntOf(const Value& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) return value.get<int64_t>();
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (d == static_cast<double>(static_cast<int64_t>(d))) return static_cast<int64_t>(d);
    return std::nullopt;
  }
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

std::optional<double> NumberOf(const Value& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return d;
}

std::string TextOf(const Value& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null() || value.is_structured()) return {};
  return value.dump();
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\0') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::string JoinList(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::vector<std::string> StringsOf(const Value& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const Value& v : list) out.push_back(TextOf(v));
  return out;
}

Result<std::map<std::string, int64_t>> ParseNodePriorities(std::string_view text) {
  std::map<std::string, int64_t> out;
  for (const std::string& entry : SplitList(text)) {
    const size_t colon = entry.find(':');
    const std::string node = entry.substr(0, colon);
    int64_t priority = 0;
    if (colon != std::string::npos) {
      std::optional<int64_t> parsed = IntOf(Value(entry.substr(colon + 1)));
      if (!parsed || *parsed < 0) {
        return Fail(Code::kInvalidArgument, "node priority '" + entry + "' is not <node>[:<priority>]");
      }
      priority = *parsed;
    }
    if (node.empty()) return Fail(Code::kInvalidArgument, "node priority '" + entry + "' names no node");
    out[node] = priority;
  }
  return out;
}

std::string FormatNodePriorities(const Value& nodes) {
  std::map<std::string, int64_t> sorted;
  if (nodes.is_object()) {
    for (auto it = nodes.begin(); it != nodes.end(); ++it) sorted[it.key()] = IntOf(it.value()).value_or(0);
  }
  std::string out;
  for (const auto& [node, priority] : sorted) {
    if (!out.empty()) out += ',';
    out += node;
    if (priority != 0) out += ":" + std::to_string(priority);
  }
  return out;
}

Result<Value> ParsePrune(const Value& value) {
  Value pairs = Value::object();
  if (value.is_object()) {
    pairs = value;
  } else if (value.is_string()) {
    Result<PropertyString> ps = ParsePropertyString(value.get<std::string>());
    if (!ps) return Fail(ps.error());
    for (const auto& [key, text] : ps->entries) pairs[key] = text;
  } else if (!value.is_null()) {
    return Fail(Code::kInvalidArgument, "prune-backups is neither a property string nor an object");
  }
  Value out = Value::object();
  for (auto it = pairs.begin(); it != pairs.end(); ++it) {
    const std::string key = SpecKey(it.key());
    if (key == "keep_all") {
      std::optional<bool> b = BoolOf(it.value());
      if (!b) return Fail(Code::kInvalidArgument, "prune-backups keep-all is not a boolean");
      out[key] = *b;
      continue;
    }
    std::optional<int64_t> n = IntOf(it.value());
    if (!n) return Fail(Code::kInvalidArgument, "prune-backups " + it.key() + " is not an integer");
    out[key] = *n;
  }
  return out;
}

std::string FormatPrune(const Value& prune) {
  PropertyString ps;
  if (!prune.is_object()) return {};
  for (std::string_view pve_key : kPruneKeys) {
    auto it = prune.find(SpecKey(pve_key));
    if (it == prune.end() || it->is_null()) continue;
    if (pve_key == "keep-all") {
      ps.Set(std::string(pve_key), BoolOf(*it).value_or(false) ? "1" : "0");
    } else {
      ps.Set(std::string(pve_key), TextOf(*it));
    }
  }
  return FormatPropertyString(ps);
}

}  // namespace hainfra::pve
