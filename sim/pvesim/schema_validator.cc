#include "sim/pvesim/schema_validator.h"

#include <algorithm>
#include <regex>

#include "sim/pvesim/formats.h"
#include "sim/pvesim/params.h"
#include "sim/pvesim/perl_regex.h"
#include "sim/pvesim/property_string.h"

namespace pvesim {
namespace {

void AddError(ValidationErrors& errors, const std::string& path, const std::string& msg) {
  std::string key = path.empty() ? "_root" : path;
  auto it = errors.find(key);
  // add_error joins with a literal backslash-n (a single-quoted '\n' in Perl).
  if (it != errors.end()) it->second += "\\n" + msg; else errors[key] = msg;
}

bool IsNumberText(const std::string& v) {
  static const std::regex re("^[+-]?(\\d+\\.\\d+|\\d+\\.|\\.\\d+|\\d+)([eE][+-]?\\d+)?$");
  return std::regex_match(v, re);
}

bool IsIntegerText(const std::string& v) {
  static const std::regex re("^[+-]?\\d+$");
  return std::regex_match(v, re);
}

std::string PerlTypeName(const json& v) {
  if (v.is_array()) return "ARRAY";
  if (v.is_object()) return "HASH";
  if (v.is_boolean()) return "JSON::PP::Boolean";
  return "";
}

bool CheckType(const std::string& path, const json& schema, const json& value, ValidationErrors& errors) {
  if (!schema.contains("type") || !schema["type"].is_string()) return true;
  std::string type = schema["type"];
  if (type == "any") return true;
  if (type == "null") {
    if (!value.is_null()) { AddError(errors, path, "type check ('null') failed - value is not null"); return false; }
    return true;
  }
  if (type == "array") {
    if (!value.is_array()) { AddError(errors, path, "type check ('array') failed"); return false; }
    return true;
  }
  if (type == "object") {
    if (!value.is_object()) { AddError(errors, path, "type check ('object') failed"); return false; }
    return true;
  }
  if (value.is_array() || value.is_object() || value.is_boolean()) {
    if (type == "boolean" && value.is_boolean()) return true;
    AddError(errors, path, "type check ('" + type + "') failed - got " + PerlTypeName(value));
    return false;
  }
  std::string text = ScalarText(value);
  if (type == "boolean") {
    if (text == "1" || text == "0") return true;
  } else if (type == "integer") {
    if (IsIntegerText(text)) return true;
  } else if (type == "number") {
    if (IsNumberText(text)) return true;
  } else {
    return true;  // string and unknown types
  }
  AddError(errors, path, "type check ('" + type + "') failed - got '" + text + "'");
  return false;
}

void CheckProp(const json* value, const json& schema, const std::string& path, ValidationErrors& errors,
               const std::string* instance_type);

void CheckObject(const std::string& path, const json& schema, const json& value, bool allow_additional,
                 ValidationErrors& errors) {
  if (!schema.is_object()) { AddError(errors, path, "Invalid schema definition."); return; }
  if (!value.is_object()) { AddError(errors, path, "an object is required"); return; }
  auto sub = [&](const std::string& k) { return path.empty() ? k : path + "." + k; };
  // Remap aliased keys so that checks see canonical names.
  json v = value;
  for (auto it = value.begin(); it != value.end(); ++it) {
    const json* s = FindProperty(schema, it.key());
    if (!s || !s->contains("alias")) continue;
    std::string target = (*s)["alias"];
    if (v.contains(target)) {
      AddError(errors, sub(it.key()), "cannot set both '" + it.key() + "' and its alias target '" + target + "'");
    } else {
      v[target] = it.value();
      v.erase(it.key());
    }
  }
  for (auto it = schema.begin(); it != schema.end(); ++it) {
    if (it.key().find("[n]") != std::string::npos) continue;  // families are optional; checked per key below
    std::string instance_type;
    const std::string* itype = nullptr;
    if (it.value().is_object() && it.value().contains("type-property")) {
      std::string prop = it.value()["type-property"];
      if (v.contains(prop) && !v[prop].is_null()) { instance_type = ScalarText(v[prop]); itype = &instance_type; }
    }
    const json* pv = v.contains(it.key()) && !v[it.key()].is_null() ? &v[it.key()] : nullptr;
    CheckProp(pv, it.value(), sub(it.key()), errors, itype);
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& k = it.key();
    const json* s = FindProperty(schema, k);
    if (s) {
      if (s->contains("requires") && (*s)["requires"].is_string()) {
        std::string req = (*s)["requires"];
        if (!v.contains(req) || v[req].is_null()) AddError(errors, sub(req), "missing property required by '" + sub(k) + "'");
      }
      if (!schema.contains(k)) CheckProp(&it.value(), *s, sub(k), errors, nullptr);  // a family member
      continue;
    }
    if (!allow_additional) {
      AddError(errors, sub(k), "property is not defined in schema and the schema does not allow additional properties");
    }
  }
}

std::optional<std::string> CheckHashFormat(const json& format, const std::string& value, const std::string& path) {
  auto parts = SplitPropertyString(format, value);
  if (!parts) return parts.error();
  json obj = json::object();
  for (const auto& [k, v] : *parts) obj[k] = v;
  ValidationErrors inner;
  CheckObject(path, format, obj, false, inner);
  if (inner.empty()) return std::nullopt;
  std::string msg = "format error\n";
  for (const auto& [k, e] : inner) msg += k + ": " + e + "\n";
  return msg;
}

std::optional<std::string> CheckFormat(const json& format, const std::string& value, const std::string& path) {
  if (format.is_object()) return CheckHashFormat(format, value, path);
  if (!format.is_string()) return std::nullopt;
  std::string name = format;
  if (name == "regex") return std::nullopt;
  if (const json* hash = NamedHashFormat(name)) return CheckHashFormat(*hash, value, path);
  return CheckNamedFormat(name, value);
}

void CheckProp(const json* value, const json& schema, const std::string& path, ValidationErrors& errors,
               const std::string* instance_type) {
  if (!schema.is_object()) { AddError(errors, path, "Invalid schema definition."); return; }
  bool optional_for_type = false;
  if (schema.contains("oneOf")) return;  // SDN fabric variants: not simulated, accepted as given
  if (instance_type && schema.contains("instance-types")) {
    const auto& types = schema["instance-types"];
    optional_for_type = std::find(types.begin(), types.end(), *instance_type) == types.end();
  }
  if (schema.contains("alias")) return;
  if (value == nullptr) {
    if (schema.value("type", "") == "null") return;
    bool optional = schema.contains("optional") && ScalarText(schema["optional"]) == "1";
    if (!optional && !optional_for_type) AddError(errors, path, "property is missing and it is not optional");
    return;
  }
  if (!CheckType(path, schema, *value, errors)) return;
  if (value->is_array()) {
    if (schema.contains("items") && schema["items"].is_object()) {
      for (size_t i = 0; i < value->size(); ++i) CheckProp(&(*value)[i], schema["items"], path + "[" + std::to_string(i) + "]", errors, nullptr);
    }
    return;
  }
  if (value->is_object()) {
    if (schema.contains("properties") || schema.contains("additionalProperties")) {
      bool additional = !schema.contains("additionalProperties") || ScalarText(schema["additionalProperties"]) != "0";
      CheckObject(path, schema.value("properties", json::object()), *value, additional, errors);
    }
    return;
  }
  std::string text = ScalarText(*value);
  if (schema.contains("format")) {
    if (auto err = CheckFormat(schema["format"], text, path)) {
      AddError(errors, path, "invalid format - " + *err);
      return;
    }
  }
  if (schema.contains("pattern") && schema["pattern"].is_string() && !PerlFullMatch(schema["pattern"], text)) {
    AddError(errors, path, "value does not match the regex pattern");
    return;
  }
  // length() counts characters: count UTF-8 code points, not bytes.
  size_t chars = std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  if (schema.contains("maxLength") && chars > schema["maxLength"].get<size_t>()) {
    AddError(errors, path, "value may only be " + ScalarText(schema["maxLength"]) + " characters long");
    return;
  }
  if (schema.contains("minLength") && chars < schema["minLength"].get<size_t>()) {
    AddError(errors, path, "value must be at least " + ScalarText(schema["minLength"]) + " characters long");
    return;
  }
  if (IsNumberText(text)) {
    double n = std::stod(text);
    if (schema.contains("maximum") && schema["maximum"].is_number() && n > schema["maximum"].get<double>()) {
      AddError(errors, path, "value must have a maximum value of " + ScalarText(schema["maximum"]));
      return;
    }
    if (schema.contains("minimum") && schema["minimum"].is_number() && n < schema["minimum"].get<double>()) {
      AddError(errors, path, "value must have a minimum value of " + ScalarText(schema["minimum"]));
      return;
    }
  }
  if (schema.contains("enum") && schema["enum"].is_array()) {
    std::string list;
    bool found = false;
    for (const auto& e : schema["enum"]) {
      std::string et = ScalarText(e);
      if (et == text) found = true;
      list += (list.empty() ? "" : ", ") + et;
    }
    if (!found) AddError(errors, path, "value '" + text + "' does not have a value in the enumeration '" + list + "'");
  }
}

}  // namespace

int FamilyMaxIndex(const std::string& family, const json& schema) {
  // The limits of qemu-server (MAX_NETS, MAX_SCSI_DISKS, ...), corosync links and pve-container.
  static const std::map<std::string, int> kMax = {
      {"net", 31},     {"scsi", 30},    {"virtio", 15},  {"ide", 3},      {"sata", 5},       {"serial", 3},
      {"parallel", 2}, {"usb", 13},     {"link", 7},     {"unused", 255}, {"hostpci", 15},   {"ipconfig", 31},
      {"numa", 7},     {"virtiofs", 9}, {"mp", 255},     {"dev", 255},    {"acmedomain", 4},
  };
  if (schema.is_object() && schema.contains("description") && schema["description"].is_string()) {
    static const std::regex re("n is 0 to (\\d+)");
    std::smatch m;
    std::string d = schema["description"];
    if (std::regex_search(d, m, re)) return std::stoi(m[1]);
  }
  auto it = kMax.find(family);
  return it == kMax.end() ? 255 : it->second;
}

const json* FindProperty(const json& properties, const std::string& key) {
  auto it = properties.find(key);
  if (it != properties.end()) return &it.value();
  size_t digits = key.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(key[digits - 1]))) --digits;
  if (digits == key.size() || digits == 0) return nullptr;
  std::string index_text = key.substr(digits);
  if (index_text.size() > 1 && index_text[0] == '0') return nullptr;  // "net01" is not net1
  std::string family = key.substr(0, digits);
  auto fam = properties.find(family + "[n]");
  if (fam == properties.end()) return nullptr;
  if (index_text.size() > 4 || std::stoi(index_text) > FamilyMaxIndex(family, fam.value())) return nullptr;
  return &fam.value();
}

ValidationErrors ValidateParameters(const json& params, const json& parameters_schema) {
  ValidationErrors errors;
  json props = parameters_schema.value("properties", json::object());
  bool additional = !parameters_schema.contains("additionalProperties") ||
                    ScalarText(parameters_schema["additionalProperties"]) != "0";
  CheckObject("", props, params, additional, errors);
  return errors;
}

ValidationErrors ValidateValue(const json& value, const json& schema, const std::string& path) {
  ValidationErrors errors;
  CheckProp(&value, schema, path, errors, nullptr);
  return errors;
}

}  // namespace pvesim
