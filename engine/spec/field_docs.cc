#include "engine/spec/field_docs.h"

#include <sstream>

#include "schemas/formats.h"
#include "schemas/sections.h"

namespace hainfra::spec {
namespace {

std::string TypeName(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::kString: return "string";
    case FieldType::kInt: return "integer";
    case FieldType::kNumber: return "number";
    case FieldType::kBool: return "boolean";
    case FieldType::kEnum: return "enum";
    case FieldType::kSize: return "size";
    case FieldType::kObject: return "object";
    case FieldType::kList: {
      const FieldSpec& e = f.element.front();
      return e.type == FieldType::kObject ? "list of objects" : "list of " + TypeName(e);
    }
    case FieldType::kMap: return "map of " + TypeName(f.element.front());
  }
  return "";
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out;
}

// Ranges, enums, formats and references of a scalar (or of a list's / map's elements and keys).
std::string Constraints(const FieldSpec& f) {
  std::vector<std::string> parts;
  if (f.min && f.max) {
    parts.push_back(std::to_string(*f.min) + ".." + std::to_string(*f.max));
  } else if (f.min) {
    parts.push_back("≥ " + std::to_string(*f.min));
  } else if (f.max) {
    parts.push_back("≤ " + std::to_string(*f.max));
  }
  if (!f.enum_values.empty()) {
    std::string values;
    for (const std::string& v : f.enum_values) values += (values.empty() ? "`" : ", `") + v + "`";
    parts.push_back(values);
  }
  if (f.max_length) parts.push_back("max " + std::to_string(*f.max_length) + " chars");
  if (!f.format.empty()) {
    const schemas::FormatSpec* format = schemas::FindFormat(f.format);
    parts.push_back(format != nullptr ? std::string(format->what) : f.format);
  }
  if (!f.pattern.empty()) parts.push_back("pattern `" + f.pattern + "`");
  if (!f.ref.empty()) parts.push_back("names a " + f.ref);
  if ((f.type == FieldType::kList || f.type == FieldType::kMap) && f.element.front().type != FieldType::kObject) {
    const std::string inner = Constraints(f.element.front());
    if (!inner.empty()) parts.push_back((f.type == FieldType::kMap ? "values: " : "entries: ") + inner);
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string Semantics(const FieldSpec& f) {
  std::vector<std::string> parts;
  if (!f.key.empty()) parts.push_back("keyed by `" + f.key + "`");
  if (f.set) parts.push_back("order-free");
  if ((f.type == FieldType::kList || f.type == FieldType::kMap) && !f.whole) parts.push_back("not owned whole");
  if (f.force_new) parts.push_back("replaces");
  if (f.reboot) parts.push_back("reboot");
  if (f.secret) parts.push_back("secret");
  if (!f.managed) parts.push_back("not diffed");
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

void Rows(std::ostringstream& out, const FieldSpec& object, const std::string& prefix) {
  for (const FieldSpec& f : object.fields) {
    const std::string name = prefix + f.name;
    out << "| `" << name << "` | " << TypeName(f) << " | " << (f.required ? "yes" : "") << " | "
        << Escape(Constraints(f)) << " | " << Semantics(f) << " | " << Escape(f.doc) << " |\n";
    if (f.type == FieldType::kObject) Rows(out, f, name + ".");
    if (f.type == FieldType::kList && f.element.front().type == FieldType::kObject) {
      Rows(out, f.element.front(), name + "[].");
    }
  }
}

}  // namespace

std::string FieldReferenceMarkdown() {
  std::ostringstream out;
  std::vector<const schemas::SectionSpec*> sections;
  for (const schemas::SectionSpec& s : schemas::Sections()) sections.push_back(&s);
  for (const schemas::SectionSpec& s : schemas::SettingsSections()) sections.push_back(&s);
  for (const schemas::SectionSpec* each : sections) {
    const schemas::SectionSpec& s = *each;
    if (s.identity.empty()) {  // a settings section, or a planned singleton named after its kind (`datacenter`)
      const bool planned = schemas::FindSection(s.kind) != nullptr;
      out << "### `" << s.path << "` — " << (planned ? s.kind + "/" + s.kind : std::string("settings")) << "\n\n";
    } else {
      out << "### `" << s.path << "` — " << s.kind << "/<" << s.identity << ">\n\n";
    }
    out << s.item.doc << (s.singleton ? " (one per spec)." : ".") << "\n\n";
    out << "| field | type | required | values | diff | description |\n";
    out << "|---|---|---|---|---|---|\n";
    Rows(out, s.item, "");
    out << "\n";
  }
  return out.str();
}

}  // namespace hainfra::spec
