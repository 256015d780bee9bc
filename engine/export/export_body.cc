#include "engine/export/export_body.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace hainfra::exporting {
namespace {

Value Trim(const Value& value, const FieldSpec& spec, const std::string& path);

Value TrimObject(const Value& value, const FieldSpec& spec, const std::string& path) {
  if (!value.is_object()) return nullptr;
  Value out = Value::object();
  for (const FieldSpec& field : spec.fields) {
    if (!field.managed) continue;  // connection settings and other read-only fields are never exported
    auto it = value.find(field.name);
    if (it == value.end()) continue;
    Value child = Trim(*it, field, path + " " + field.name);
    if (!child.is_null()) out[field.name] = std::move(child);
  }
  return out.empty() ? Value(nullptr) : out;
}

Value TrimList(const Value& value, const FieldSpec& spec, const std::string& path) {
  if (!value.is_array()) return nullptr;
  const FieldSpec* element = spec.element.empty() ? nullptr : &spec.element.front();
  Value out = Value::array();
  for (const Value& item : value) {
    if (spec.name == "tags" && item == kOwnershipTag) continue;  // hainfra's marker, not the user's tag
    std::string item_path = path;
    if (!spec.key.empty() && item.is_object() && item.contains(spec.key)) {
      const Value& id = item[spec.key];
      item_path += " " + (id.is_string() ? id.get<std::string>() : id.dump());
    } else {
      item_path += " " + std::to_string(out.size());
    }
    Value child = element != nullptr ? Trim(item, *element, item_path) : item;
    if (!child.is_null()) out.push_back(std::move(child));
  }
  // An empty list is kept: for a collection owned whole it says "none", which is what the cluster has.
  return out;
}

Value TrimMap(const Value& value, const FieldSpec& spec, const std::string& path) {
  if (!value.is_object()) return nullptr;
  const FieldSpec* element = spec.element.empty() ? nullptr : &spec.element.front();
  Value out = Value::object();
  for (const auto& [key, item] : value.items()) {
    Value child = element != nullptr ? Trim(item, *element, path + " " + key) : item;
    if (!child.is_null()) out[key] = std::move(child);
  }
  return out;
}

Value Trim(const Value& value, const FieldSpec& spec, const std::string& path) {
  if (value.is_null()) return nullptr;
  // A secret reference (`${env:…}`, `${file:…}`, as an input spec writes it) is no secret: kept as is.
  if (spec.secret && value.is_string() && value.get_ref<const std::string&>().starts_with("${")) return value;
  if (spec.secret) return "${env:" + std::string(kSecretVariablePrefix) + VariableName(path) + "}";
  switch (spec.type) {
    case FieldType::kObject: return TrimObject(value, spec, path);
    case FieldType::kList: return TrimList(value, spec, path);
    case FieldType::kMap: return TrimMap(value, spec, path);
    case FieldType::kSize:
      if (value.is_number_integer() && value.get<int64_t>() % 1024 == 0 && value.get<int64_t>() > 0) {
        return FormatSize(value.get<int64_t>());
      }
      return value;  // a plain number of bytes reads back as bytes
    case FieldType::kEnum:
      // A value the spec cannot state (an old config's `ostype: redhat`, which Proxmox keeps but no longer
      // accepts) is left out: the field is then not managed, so it is neither refused nor a difference.
      if (value.is_string() && !spec.enum_values.empty() &&
          std::find(spec.enum_values.begin(), spec.enum_values.end(), value.get<std::string>()) == spec.enum_values.end()) {
        return nullptr;
      }
      return value;
    default: return value;
  }
}

}  // namespace

Value ExportBody(const Value& body, const FieldSpec& spec, const std::string& secret_stem) {
  return TrimObject(body, spec, secret_stem);
}

std::string FormatSize(int64_t bytes) {
  constexpr std::string_view kUnits = "KMGT";
  if (bytes <= 0) return std::to_string(bytes);
  std::string unit;
  int64_t amount = bytes;
  for (char u : kUnits) {
    if (amount % 1024 != 0) break;
    amount /= 1024;
    unit = std::string(1, u);
  }
  return std::to_string(amount) + unit;
}

std::string VariableName(const std::string& text) {
  std::string out;
  bool gap = false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) {
      if (gap && !out.empty()) out += '_';
      out += static_cast<char>(std::toupper(u));
      gap = false;
    } else {
      gap = true;
    }
  }
  return out;
}

bool IsSecretPlaceholder(const Value& value) {
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  return s.starts_with("${env:") && s.ends_with("}");
}

}  // namespace hainfra::exporting
