#include "engine/spec/json_schema.h"

#include "schemas/formats.h"
#include "schemas/sections.h"

namespace hainfra::spec {
namespace {

// Secret references, where a field accepts them (secret fields and connection settings).
constexpr const char* kSecretReference = "^\\$\\{(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)\\}$";
constexpr const char* kSizePattern = "^[0-9]+(\\.[0-9]+)?([KMGT](iB)?)?$";

// The regular expressions constraining a string: its named format and its own pattern.
std::vector<std::string> Patterns(const FieldSpec& f) {
  std::vector<std::string> patterns;
  if (!f.format.empty()) {
    if (const schemas::FormatSpec* format = schemas::FindFormat(f.format)) patterns.emplace_back(format->pattern);
  }
  if (!f.pattern.empty()) patterns.push_back(f.pattern);
  return patterns;
}

void AddPatterns(Value& schema, const std::vector<std::string>& patterns) {
  if (patterns.size() == 1) {
    schema["pattern"] = patterns.front();
  } else if (patterns.size() > 1) {
    for (const std::string& p : patterns) schema["allOf"].push_back(Value{{"pattern", p}});
  }
}

Value FieldSchema(const FieldSpec& f) {
  Value s = Value::object();
  switch (f.type) {
    case FieldType::kString: {
      s["type"] = "string";
      if (f.max_length) s["maxLength"] = *f.max_length;
      AddPatterns(s, Patterns(f));
      if (f.secret || !f.managed) {
        Value reference = {{"type", "string"}, {"pattern", kSecretReference}};
        s = Value{{"anyOf", Value::array({s, reference})}};
      }
      break;
    }
    case FieldType::kInt:
    case FieldType::kNumber:
      s["type"] = f.type == FieldType::kInt ? "integer" : "number";
      if (f.min) s["minimum"] = *f.min;
      if (f.max) s["maximum"] = *f.max;
      break;
    case FieldType::kBool: s["type"] = "boolean"; break;
    case FieldType::kEnum:
      s["type"] = "string";
      s["enum"] = f.enum_values;
      break;
    case FieldType::kSize:
      // A size is written `32G` (the pattern applies to strings) or as a number of bytes.
      s["type"] = Value::array({"string", "integer"});
      s["pattern"] = kSizePattern;
      if (f.min) s["minimum"] = *f.min;
      if (f.max) s["maximum"] = *f.max;
      break;
    case FieldType::kObject: {
      s["type"] = "object";
      s["additionalProperties"] = false;
      s["properties"] = Value::object();
      Value required = Value::array();
      for (const FieldSpec& sub : f.fields) {
        s["properties"][sub.name] = FieldSchema(sub);
        if (sub.required) required.push_back(sub.name);
      }
      if (!required.empty()) s["required"] = required;
      break;
    }
    case FieldType::kList:
      s["type"] = "array";
      s["items"] = FieldSchema(f.element.front());
      if (f.set) s["uniqueItems"] = true;
      break;
    case FieldType::kMap: {
      s["type"] = "object";
      s["additionalProperties"] = FieldSchema(f.element.front());
      Value names = Value::object();
      AddPatterns(names, Patterns(f));
      if (!names.empty()) s["propertyNames"] = names;
      break;
    }
  }
  if (!f.doc.empty()) s["description"] = f.doc;
  return s;
}

}  // namespace

Value GenerateJsonSchema() {
  Value root = {
      {"$schema", "http://json-schema.org/draft-07/schema#"},
      {"$id", "urn:hainfra:spec"},
      {"title", "hainfra cluster spec"},
      {"description", "A Proxmox VE cluster described for hainfra (generated from schemas/*_fields.cc)"},
      {"type", "object"},
      {"additionalProperties", false},
      {"properties", Value::object()},
  };
  std::vector<const schemas::SectionSpec*> sections;
  for (const schemas::SectionSpec& s : schemas::Sections()) sections.push_back(&s);
  for (const schemas::SectionSpec& s : schemas::SettingsSections()) sections.push_back(&s);
  for (const schemas::SectionSpec* each : sections) {
    const schemas::SectionSpec& section = *each;
    Value schema = FieldSchema(section.item);
    if (!section.singleton) {
      schema = Value{{"type", Value::array({"array", "null"})},
                     {"items", schema},
                     {"description", "a list; each entry is one " + section.kind + "/<" + section.identity + ">"}};
    }
    const size_t dot = section.path.find('.');
    if (dot == std::string::npos) {
      root["properties"][section.path] = schema;
      continue;
    }
    // A container such as `ha:` holding groups, rules and resources.
    Value& container = root["properties"][section.path.substr(0, dot)];
    if (container.is_null()) {
      container = {{"type", Value::array({"object", "null"})},
                   {"additionalProperties", false},
                   {"properties", Value::object()}};
    }
    container["properties"][section.path.substr(dot + 1)] = schema;
  }
  return root;
}

std::string JsonSchemaText() { return GenerateJsonSchema().dump(2) + "\n"; }

}  // namespace hainfra::spec
