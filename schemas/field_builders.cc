#include "schemas/field_builders.h"

namespace hainfra::schemas {

Field Enum(std::string name, std::string doc, std::vector<std::string> values) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.type = FieldType::kEnum;
  spec.doc = std::move(doc);
  spec.enum_values = std::move(values);
  return Field(std::move(spec));
}

Field Object(std::string name, std::string doc, std::vector<FieldSpec> fields) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.type = FieldType::kObject;
  spec.doc = std::move(doc);
  spec.fields = std::move(fields);
  return Field(std::move(spec));
}

Field List(std::string name, std::string doc, FieldSpec element) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.type = FieldType::kList;
  spec.doc = std::move(doc);
  spec.element.push_back(std::move(element));
  return Field(std::move(spec));
}

Field Map(std::string name, std::string doc, FieldSpec element) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.type = FieldType::kMap;
  spec.doc = std::move(doc);
  spec.element.push_back(std::move(element));
  return Field(std::move(spec));
}

FieldSpec StateField(std::vector<std::string> values, std::string doc) {
  return Enum("state", std::move(doc), std::move(values));
}

}  // namespace hainfra::schemas
