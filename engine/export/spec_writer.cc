#include "engine/export/spec_writer.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <regex>
#include <set>

#include "engine/export/export_body.h"

namespace hainfra::exporting {
namespace {

// Texts a YAML reader would take for a number, a boolean or null if written plain.
bool NeedsQuotes(const std::string& s) {
  if (s.empty()) return true;
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::set<std::string> kWords = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
                                               ".inf", "-.inf", "+.inf", ".nan"};
  if (kWords.count(lower) != 0) return true;
  static const std::regex kNumber(R"(^[-+]?(0x[0-9a-f]+|0o[0-7]+|[0-9][0-9_]*(\.[0-9_]*)?(e[-+]?[0-9]+)?|\.[0-9]+(e[-+]?[0-9]+)?)$)");
  static const std::regex kSexagesimal(R"(^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$)");
  return std::regex_match(lower, kNumber) || std::regex_match(lower, kSexagesimal);
}

bool IsScalar(const Value& v) { return !v.is_object() && !v.is_array(); }

bool HasSecret(const Value& v) {
  if (IsSecretPlaceholder(v)) return true;
  if (v.is_object() || v.is_array()) {
    for (const Value& child : v) {
      if (HasSecret(child)) return true;
    }
  }
  return false;
}

// Small list elements (a disk, a NIC) read best on one line: only scalars or lists of scalars, no secret.
bool FitsOneLine(const Value& v) {
  if (!v.is_object() || HasSecret(v) || v.size() > 12) return false;
  for (const Value& child : v) {
    if (child.is_object()) return false;
    if (child.is_array() && !std::all_of(child.begin(), child.end(), IsScalar)) return false;
  }
  return true;
}

const FieldSpec* Element(const FieldSpec* spec) {
  return spec != nullptr && !spec->element.empty() ? &spec->element.front() : nullptr;
}

class Writer {
 public:
  Writer() { out_.SetIndent(2); }

  std::string Text() const { return out_.c_str(); }
  const std::vector<std::string>& secrets() const { return secrets_; }

  void BeginRoot() { out_ << YAML::BeginMap; }
  void EndRoot() { out_ << YAML::EndMap; }
  void Key(const std::string& key) { out_ << YAML::Key << key << YAML::Value; }
  void BeginMap() { out_ << YAML::BeginMap; }
  void EndMap() { out_ << YAML::EndMap; }

  void Section(const ExportedSection& exported) {
    const schemas::SectionSpec& section = *exported.section;
    if (section.singleton) {
      Node(exported.objects.front(), &section.item, false);
      return;
    }
    out_ << YAML::BeginSeq;
    for (const Value& object : exported.objects) Node(object, &section.item, false);
    out_ << YAML::EndSeq;
  }

 private:
  // Writes `v`; `flow` asks for one line (only honoured for objects that fit).
  void Node(const Value& v, const FieldSpec* spec, bool flow) {
    if (v.is_object()) {
      Object(v, spec, flow && FitsOneLine(v));
    } else if (v.is_array()) {
      const bool scalars = std::all_of(v.begin(), v.end(), IsScalar);
      if (scalars) out_ << YAML::Flow;
      out_ << YAML::BeginSeq;
      for (const Value& item : v) Node(item, Element(spec), true);
      out_ << YAML::EndSeq;
    } else {
      Scalar(v);
    }
  }

  // Keys in the schema's order (kObject); free keys (kMap) in sorted order, as the JSON object keeps them.
  void Object(const Value& v, const FieldSpec* spec, bool flow) {
    if (flow) out_ << YAML::Flow;
    out_ << YAML::BeginMap;
    if (spec != nullptr && spec->type == FieldType::kObject) {
      for (const FieldSpec& field : spec->fields) {
        auto it = v.find(field.name);
        if (it != v.end()) Entry(field.name, *it, &field);
      }
    } else {
      for (const auto& [key, child] : v.items()) Entry(key, child, Element(spec));
    }
    out_ << YAML::EndMap;
  }

  void Entry(const std::string& key, const Value& child, const FieldSpec* spec) {
    out_ << YAML::Key << key << YAML::Value;
    Node(child, spec, false);
    if (IsSecretPlaceholder(child) && spec != nullptr && spec->secret &&
        child.get_ref<const std::string&>().starts_with("${env:" + std::string(kSecretVariablePrefix))) {
      const std::string& text = child.get_ref<const std::string&>();
      const std::string variable = text.substr(6, text.size() - 7);
      secrets_.push_back(variable);
      out_ << YAML::Comment("secret: not exported; set " + variable + " before apply");
    }
  }

  void Scalar(const Value& v) {
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (NeedsQuotes(s)) out_ << YAML::DoubleQuoted;
      out_ << s;
    } else if (v.is_boolean()) {
      out_ << (v.get<bool>() ? "true" : "false");
    } else if (v.is_null()) {
      out_ << YAML::Null;
    } else {
      out_ << v.dump();  // numbers as JSON writes them: shortest text that reads back the same
    }
  }

  YAML::Emitter out_;
  std::vector<std::string> secrets_;
};

// The top-level key of a section path and the rest ("ha.rules" -> "ha", "rules"; "vms" -> "vms", "").
std::pair<std::string, std::string> SplitPath(const std::string& path) {
  const size_t dot = path.find('.');
  if (dot == std::string::npos) return {path, ""};
  return {path.substr(0, dot), path.substr(dot + 1)};
}

std::string Header(const std::vector<const ExportedSection*>& sections, const std::vector<std::string>& secrets) {
  std::string text = "# Written by `hainfra export` from the live cluster";
  std::string names;
  size_t count = 0;
  for (const ExportedSection* s : sections) {
    names += (names.empty() ? "" : ", ") + s->section->path;
    count += s->objects.size();
  }
  text += " (" + std::to_string(count) + (count == 1 ? " object: " : " objects: ") + names + ").\n";
  text += "# Fields Proxmox sets on its own and hainfra does not manage are left out; `hainfra plan` against\n"
          "# the same cluster shows no changes.\n";
  if (!secrets.empty()) {
    text += "# Secrets are never exported: set these variables before `hainfra apply` needs them:\n";
    for (const std::string& s : secrets) text += "#   " + s + "\n";
  }
  return text + "\n";
}

// A blank line before every top-level key but the first, for the eye (the emitter has no such option).
std::string SeparateSections(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size() - 1;
    const char c = text[start];
    if (start > 0 && c != ' ' && c != '-' && c != '#' && c != '\n') out += '\n';
    out.append(text, start, end - start + 1);
    start = end + 1;
  }
  return out;
}

SpecFile Write(const std::string& name, const std::vector<const ExportedSection*>& sections) {
  Writer w;
  w.BeginRoot();
  std::string open_parent;
  for (const ExportedSection* exported : sections) {
    auto [top, rest] = SplitPath(exported->section->path);
    if (!open_parent.empty() && open_parent != top) {
      w.EndMap();
      open_parent.clear();
    }
    if (rest.empty()) {
      w.Key(top);
    } else {
      if (open_parent != top) {
        w.Key(top);
        w.BeginMap();
        open_parent = top;
      }
      w.Key(rest);
    }
    w.Section(*exported);
  }
  if (!open_parent.empty()) w.EndMap();
  w.EndRoot();
  return SpecFile{name, Header(sections, w.secrets()) + SeparateSections(w.Text()) + "\n"};
}

}  // namespace

std::string SectionFileName(const schemas::SectionSpec& section) {
  // The examples' layout: a file per top-level key, named after it, except where the examples group or name
  // it otherwise (Ceph pools next to the storages on them).
  static const std::pair<const char*, const char*> kExampleFileNames[] = {
      {"ceph", "storage"}, {"backup_jobs", "backup"}, {"baselines", "baseline"}};
  std::string name = SplitPath(section.path).first;
  for (const auto& [top, file] : kExampleFileNames) {
    if (name == top) name = file;
  }
  return name + ".yaml";
}

std::vector<SpecFile> WriteSpec(const ExportedSpec& spec, bool split) {
  std::vector<SpecFile> files;
  if (split) {
    // Files in the order of their first section; a file's sections in the spec's order.
    std::vector<std::pair<std::string, std::vector<const ExportedSection*>>> grouped;
    for (const ExportedSection& s : spec.sections) {
      const std::string name = SectionFileName(*s.section);
      auto it = std::find_if(grouped.begin(), grouped.end(), [&](const auto& g) { return g.first == name; });
      if (it == grouped.end()) {
        grouped.emplace_back(name, std::vector<const ExportedSection*>{});
        it = std::prev(grouped.end());
      }
      it->second.push_back(&s);
    }
    for (const auto& [name, sections] : grouped) files.push_back(Write(name, sections));
    return files;
  }
  std::vector<const ExportedSection*> all;
  for (const ExportedSection& s : spec.sections) all.push_back(&s);
  files.push_back(Write("hainfra.yaml", all));
  return files;
}

}  // namespace hainfra::exporting
