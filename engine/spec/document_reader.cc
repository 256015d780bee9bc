#include "engine/spec/document_reader.h"

#include <algorithm>

#include "engine/spec/suggest.h"
#include "engine/spec/text_scan.h"
#include "engine/spec/typer.h"
#include "schemas/sections.h"

namespace hainfra::spec {
namespace {

using schemas::SectionSpec;

// The first component of a section path ("ha" of "ha.rules").
std::string Head(const std::string& path) { return path.substr(0, path.find('.')); }

std::vector<std::string> TopLevelNames() {
  std::vector<std::string> names;
  for (const auto* list : {&schemas::Sections(), &schemas::SettingsSections()}) {
    for (const SectionSpec& s : *list) {
      const std::string head = Head(s.path);
      if (std::find(names.begin(), names.end(), head) == names.end()) names.push_back(head);
    }
  }
  return names;
}

// The sections under a container ("ha" -> groups, rules, resources), as their last path component.
std::vector<std::string> ChildNames(const std::string& head) {
  std::vector<std::string> names;
  for (const SectionSpec& s : schemas::Sections()) {
    if (s.path.size() > head.size() && s.path.compare(0, head.size() + 1, head + ".") == 0) {
      names.push_back(s.path.substr(head.size() + 1));
    }
  }
  return names;
}

const SectionSpec* FindByPath(const std::string& path) {
  for (const auto* list : {&schemas::Sections(), &schemas::SettingsSections()}) {
    for (const SectionSpec& s : *list) {
      if (s.path == path) return &s;
    }
  }
  return nullptr;
}

class Reader {
 public:
  Reader(const std::string& file, std::vector<Resource>& objects, Diagnostics& out)
      : file_(file), objects_(objects), out_(out) {}

  void Root(const YamlNode& root) {
    if (root.kind != YamlNode::Kind::kMap) {
      AddError(out_, file_, root.at, "",
               "the top level of a spec file is a map of sections (cluster, nodes, vms, ...), not " +
                   DescribeNode(root));
      return;
    }
    const std::vector<std::string> top = TopLevelNames();
    for (const YamlEntry& entry : root.entries) {
      if (const SectionSpec* section = FindByPath(entry.key)) {
        Section(*section, *entry.value, entry.key_at);
        continue;
      }
      const std::vector<std::string> children = ChildNames(entry.key);
      if (!children.empty()) {
        Container(entry.key, children, *entry.value);
        continue;
      }
      AddError(out_, file_, entry.key_at, "",
               "unknown section `" + Printable(entry.key) + "`" + Hint(entry.key, top));
    }
  }

 private:
  // A section name written at the wrong level ("pools" for "ceph.pools") or misspelt.
  static std::string Hint(const std::string& key, const std::vector<std::string>& top) {
    for (const SectionSpec& s : schemas::Sections()) {
      const size_t dot = s.path.find('.');
      if (dot != std::string::npos && s.path.substr(dot + 1) == key) return " — did you mean `" + s.path + "`?";
    }
    std::string hint = DidYouMean(key, top);
    return hint.empty() ? " (sections: " + Join(top) + ")" : hint;
  }

  static std::string Join(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  void Container(const std::string& head, const std::vector<std::string>& children, const YamlNode& node) {
    if (node.kind == YamlNode::Kind::kNull) return;
    if (node.kind != YamlNode::Kind::kMap) {
      AddError(out_, file_, node.at, head, "expected a map of " + Join(children) + ", got " + DescribeNode(node));
      return;
    }
    for (const YamlEntry& entry : node.entries) {
      const SectionSpec* section = FindByPath(head + "." + entry.key);
      if (section == nullptr) {
        AddError(out_, file_, entry.key_at, head,
                 "unknown key `" + Printable(entry.key) + "`" + [&] {
                   std::string h = DidYouMean(entry.key, children);
                   return h.empty() ? " (expected " + Join(children) + ")" : h;
                 }());
        continue;
      }
      Section(*section, *entry.value, entry.key_at);
    }
  }

  void Section(const SectionSpec& section, const YamlNode& node, Mark key_at) {
    if (section.singleton) {
      Object(section, node, section.path, key_at);
      return;
    }
    if (node.kind == YamlNode::Kind::kNull) return;  // `vms:` with every entry commented out
    if (node.kind != YamlNode::Kind::kSequence) {
      AddError(out_, file_, node.at, section.path,
               "expected a list of " + section.kind + " entries (`- ...` lines), got " + DescribeNode(node));
      return;
    }
    for (size_t i = 0; i < node.items.size(); ++i) {
      const YamlNode& item = *node.items[i];
      Object(section, item, section.path + "[" + std::to_string(i) + "]", item.at);
    }
  }

  void Object(const SectionSpec& section, const YamlNode& node, const std::string& path, Mark where) {
    Resource resource;
    resource.where = Location{file_, where.line, where.column};
    TypeContext ctx{file_, out_, resource.locations};
    std::optional<Value> body = TypeNode(node, section.item, path, "", ctx);
    if (section.identity.empty()) {  // a settings section: one object named after its kind
      if (!body) return;
      resource.address = Address{section.kind, section.kind};
    } else {
      if (!body || !body->contains(section.identity)) return;  // reported: no usable object
      const Value& id = (*body)[section.identity];
      resource.address = Address{section.kind, id.is_string() ? id.get<std::string>() : id.dump()};
    }
    resource.absent = body->contains("state") && (*body)["state"] == "absent";
    if (node.kind == YamlNode::Kind::kMap) resource.where = Location{file_, node.at.line, node.at.column};
    resource.body = std::move(*body);
    objects_.push_back(std::move(resource));
  }

  const std::string& file_;
  std::vector<Resource>& objects_;
  Diagnostics& out_;
};

}  // namespace

void ReadDocument(const YamlNode& root, const std::string& file, std::vector<Resource>& objects,
                  Diagnostics& out) {
  Reader(file, objects, out).Root(root);
}

}  // namespace hainfra::spec
