// Small builders that keep the field tables in schemas/*_fields.cc short and readable:
// `Int("cores", "CPU cores per socket").Min(1).Reboot()` instead of filling a FieldSpec by hand.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hainfra/field.h"

namespace hainfra::schemas {

// A FieldSpec under construction; converts to FieldSpec where one is expected.
class Field {
 public:
  Field(std::string name, FieldType type, std::string doc) {
    spec_.name = std::move(name);
    spec_.type = type;
    spec_.doc = std::move(doc);
  }
  explicit Field(FieldSpec spec) : spec_(std::move(spec)) {}

  Field&& Required() && { spec_.required = true; return std::move(*this); }
  Field&& Min(int64_t v) && { spec_.min = v; return std::move(*this); }
  Field&& Max(int64_t v) && { spec_.max = v; return std::move(*this); }
  Field&& MaxLength(size_t v) && { spec_.max_length = v; return std::move(*this); }
  Field&& Pattern(std::string p) && { spec_.pattern = std::move(p); return std::move(*this); }
  Field&& Format(std::string f) && { spec_.format = std::move(f); return std::move(*this); }
  Field&& Ref(std::string kind) && { spec_.ref = std::move(kind); return std::move(*this); }
  Field&& Key(std::string k) && { spec_.key = std::move(k); return std::move(*this); }
  Field&& Set() && { spec_.set = true; return std::move(*this); }
  Field&& NotWhole() && { spec_.whole = false; return std::move(*this); }
  Field&& ForceNew() && { spec_.force_new = true; return std::move(*this); }
  Field&& Reboot() && { spec_.reboot = true; return std::move(*this); }
  Field&& Secret() && { spec_.secret = true; return std::move(*this); }
  // Connection settings: hainfra reads them but never diffs them (the whole subtree).
  Field&& Unmanaged() && { MarkUnmanaged(spec_); return std::move(*this); }
  Field&& Example(std::string e) && { spec_.example = std::move(e); return std::move(*this); }

  operator FieldSpec() && { return std::move(spec_); }  // NOLINT: implicit by design

 private:
  static void MarkUnmanaged(FieldSpec& f) {
    f.managed = false;
    for (FieldSpec& sub : f.fields) MarkUnmanaged(sub);
    for (FieldSpec& e : f.element) MarkUnmanaged(e);
  }

  FieldSpec spec_;
};

inline Field String(std::string name, std::string doc) {
  return Field(std::move(name), FieldType::kString, std::move(doc));
}
inline Field Int(std::string name, std::string doc) {
  return Field(std::move(name), FieldType::kInt, std::move(doc));
}
inline Field Number(std::string name, std::string doc) {
  return Field(std::move(name), FieldType::kNumber, std::move(doc));
}
inline Field Bool(std::string name, std::string doc) {
  return Field(std::move(name), FieldType::kBool, std::move(doc));
}
inline Field Size(std::string name, std::string doc) {
  return Field(std::move(name), FieldType::kSize, std::move(doc));
}
Field Enum(std::string name, std::string doc, std::vector<std::string> values);
Field Object(std::string name, std::string doc, std::vector<FieldSpec> fields);
// A list; `element` describes each entry (its name is ignored).
Field List(std::string name, std::string doc, FieldSpec element);
// A map with free keys; `element` describes each value. On the map itself, `format`, `pattern` and `ref`
// constrain the keys (e.g. the node names of an HA group).
Field Map(std::string name, std::string doc, FieldSpec element);

// The `state` field every section object carries; `absent` asks for deletion.
FieldSpec StateField(std::vector<std::string> values, std::string doc);

}  // namespace hainfra::schemas
