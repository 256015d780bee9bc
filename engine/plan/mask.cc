#include "engine/plan/mask.h"

#include <string>

namespace hainfra::plan {

void MaskSecrets(const FieldSpec& spec, Value& value) {
  if (value.is_null()) return;
  if (spec.secret) {
    value = std::string(kSensitive);
    return;
  }
  switch (spec.type) {
    case FieldType::kObject:
      if (!value.is_object()) return;
      for (const FieldSpec& field : spec.fields) {
        auto it = value.find(field.name);
        if (it != value.end()) MaskSecrets(field, *it);
      }
      return;
    case FieldType::kList:
      if (!value.is_array() || spec.element.empty()) return;
      for (Value& entry : value) MaskSecrets(spec.element.front(), entry);
      return;
    case FieldType::kMap:
      if (!value.is_object() || spec.element.empty()) return;
      for (Value& entry : value) MaskSecrets(spec.element.front(), entry);  // an object iterates its values
      return;
    default:
      return;
  }
}

bool HasSecrets(const FieldSpec& spec) {
  if (spec.secret) return true;
  for (const FieldSpec& field : spec.fields) {
    if (HasSecrets(field)) return true;
  }
  for (const FieldSpec& element : spec.element) {
    if (HasSecrets(element)) return true;
  }
  return false;
}

}  // namespace hainfra::plan
