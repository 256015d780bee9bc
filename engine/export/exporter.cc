#include "engine/export/exporter.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/export/export_body.h"
#include "hainfra/export_part.h"

namespace hainfra::exporting {
namespace {

bool Selected(const std::vector<std::string>& wanted, const std::string& name) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), name) != wanted.end();
}

// Whether an object belongs to one of `nodes`: anything with a `node` field by it. Objects not tied to one
// node (storage, HA rules, pools) are kept, and so are the nodes themselves: other objects name them, and a
// spec naming an undeclared node does not load.
bool OnNodes(const Value& body, const std::vector<std::string>& nodes) {
  if (nodes.empty()) return true;
  auto it = body.find("node");
  if (it == body.end() || !it->is_string()) return true;
  return Selected(nodes, it->get<std::string>());
}

// Identity order: numbers numerically (vmid 9 before 10), then text.
bool IdentityLess(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() < b.get<double>();
  if (a.is_number() != b.is_number()) return a.is_number();
  return a.dump() < b.dump();
}

// A setting as written, except a secret written in clear, which becomes a placeholder like any secret.
Value Setting(const Value& value, const FieldSpec& spec, const std::string& path) {
  if (spec.secret) {
    const bool reference = value.is_string() && value.get_ref<const std::string&>().starts_with("${");
    if (reference) return value;
    return "${env:" + std::string(kSecretVariablePrefix) + VariableName(path) + "}";
  }
  if (spec.type != FieldType::kObject || !value.is_object()) return value;
  Value out = value;
  for (const FieldSpec& field : spec.fields) {
    auto it = value.find(field.name);
    if (it != value.end()) out[field.name] = Setting(*it, field, path + " " + field.name);
  }
  return out;
}

// Whether an exported body names its object: by its identity field, or, for a singleton without one
// (`datacenter`), by being the section's one object.
bool Named(const schemas::SectionSpec& section, const Value& body) {
  return section.identity.empty() ? section.singleton && body.is_object() : body.contains(section.identity);
}

// Copies the unmanaged fields (connection settings) of the input spec's object of this kind, as written; with
// no such object in the input spec, the settings of the connection this export used (`request.connection`).
void AddSettings(const schemas::SectionSpec& section, const ExportRequest& request, Value& body) {
  bool from_input = false;
  for (const auto& [kind, settings] : request.input) {
    if (kind != section.kind || !settings.is_object()) continue;
    if (section.singleton) from_input = true;
    if (settings.value(section.identity, Value()) != body.value(section.identity, Value())) continue;
    for (const FieldSpec& field : section.item.fields) {
      if (field.managed || !settings.contains(field.name)) continue;
      body[field.name] = Setting(settings[field.name], field, section.kind + " " + field.name);
    }
  }
  if (from_input) return;
  for (const auto& [kind, settings] : request.connection) {
    if (kind != section.kind || !settings.is_object()) continue;
    for (const FieldSpec& field : section.item.fields) {
      if (!field.managed && settings.contains(field.name) && !body.contains(field.name)) {
        body[field.name] = Setting(settings[field.name], field, section.kind + " " + field.name);
      }
    }
  }
}

// The kinds whose objects the section's fields name (`ref`), e.g. vm -> node, storage.
void ReferencedKinds(const FieldSpec& f, std::set<std::string>& out) {
  if (!f.ref.empty()) out.insert(f.ref);
  for (const FieldSpec& sub : f.fields) ReferencedKinds(sub, out);
  for (const FieldSpec& e : f.element) ReferencedKinds(e, out);
}

// `wanted` plus every kind they reference, transitively (a spec naming an undeclared object does not load).
std::vector<std::string> WithReferencedKinds(const std::vector<std::string>& wanted) {
  if (wanted.empty()) return wanted;
  std::set<std::string> all(wanted.begin(), wanted.end());
  std::vector<std::string> queue = wanted;
  while (!queue.empty()) {
    const std::string kind = queue.back();
    queue.pop_back();
    const schemas::SectionSpec* section = schemas::FindSection(kind);
    if (section == nullptr) continue;
    std::set<std::string> refs;
    ReferencedKinds(section->item, refs);
    for (const std::string& r : refs) {
      if (all.insert(r).second) queue.push_back(r);
    }
  }
  return {all.begin(), all.end()};
}

// The one rule of the spec that spans objects an export can break: a guest under HA gets its run state from
// HA (`ha.resources`), so its own `state` may only say present/absent (engine/spec/check_ha.cc).
void LeaveRunStateToHa(ExportedSpec& spec) {
  std::set<std::string> ha_sids;
  for (const ExportedSection& s : spec.sections) {
    if (s.section->kind != "ha_resource") continue;
    for (const Value& o : s.objects) ha_sids.insert(o.value("sid", ""));
  }
  for (ExportedSection& s : spec.sections) {
    if (s.section->kind != "vm" && s.section->kind != "ct") continue;
    for (Value& o : s.objects) {
      const std::string state = o.value("state", "");
      if ((state == "running" || state == "stopped") && ha_sids.count(s.section->kind + ":" + o["vmid"].dump()) != 0) {
        o.erase("state");
      }
    }
  }
}

// Merges `part` into `into` key by key; objects recursively, anything else replaced.
void MergeInto(Value& into, const Value& part) {
  if (!into.is_object() || !part.is_object()) {
    into = part;
    return;
  }
  for (const auto& [key, value] : part.items()) {
    auto it = into.find(key);
    if (it != into.end() && it->is_object() && value.is_object()) {
      MergeInto(*it, value);
    } else {
      into[key] = value;
    }
  }
}

// Whether a part survives `--node`: a part for a node's object or holding on one node only counts as that
// node's; any other part is kept.
bool PartOnNodes(const ExportPart& part, const std::vector<std::string>& nodes) {
  if (nodes.empty()) return true;
  if (!part.node.empty()) return Selected(nodes, part.node);
  if (part.section == "node") return Selected(nodes, part.name);
  return true;
}

// The field of the node section that names an object of `section` (`nodes[].baseline` for baselines).
const FieldSpec* NodeRefTo(const std::string& section) {
  const schemas::SectionSpec* nodes = schemas::FindSection("node");
  if (nodes == nullptr) return nullptr;
  for (const FieldSpec& f : nodes->item.fields) {
    if (f.ref == section) return &f;
  }
  return nullptr;
}

// The raw bodies of one section, by identity, before they are trimmed to what the spec may say.
struct RawSection {
  std::vector<Value> bodies;
  bool carried = false;  // from the input spec, as written
};

Value* FindBody(RawSection& raw, const schemas::SectionSpec& section, const std::string& name) {
  for (Value& body : raw.bodies) {
    if (section.singleton) return &body;  // the one object, whatever the part calls it
    const Value id = body.value(section.identity, Value());
    if ((id.is_string() && id.get<std::string>() == name) || (!id.is_string() && !id.is_null() && id.dump() == name)) {
      return &body;
    }
  }
  return nullptr;
}

// Parts that hold on one node each (a node's repositories and sshd drop-in), folded into the section's shared
// objects: one named `kSharedPartName` when every node's parts agree, one per node (named after it)
// otherwise; each node names its object through the node section's reference field. An input spec that
// declares objects of the section wins: they are carried over as written and each node keeps the reference
// the input gave it.
constexpr const char* kSharedPartName = "standard";

void FoldNodeParts(const std::string& section_kind, const std::map<std::string, Value>& by_node,
                   std::map<std::string, RawSection>& raw) {
  const schemas::SectionSpec* section = schemas::FindSection(section_kind);
  const FieldSpec* ref = NodeRefTo(section_kind);
  if (section == nullptr || ref == nullptr || by_node.empty()) return;
  if (raw[section_kind].carried) return;
  bool agree = true;
  for (const auto& [node, body] : by_node) agree = agree && body == by_node.begin()->second;
  RawSection& nodes = raw["node"];
  for (const auto& [node, body] : by_node) {
    const std::string name = agree ? kSharedPartName : node;
    if (FindBody(raw[section_kind], *section, name) == nullptr) {
      Value object = body;
      object[section->identity] = name;
      raw[section_kind].bodies.push_back(std::move(object));
    }
    if (Value* n = FindBody(nodes, *schemas::FindSection("node"), node)) (*n)[ref->name] = name;
  }
}

// With an input spec that declares the objects of a section the nodes refer to (baselines), each node keeps
// the reference the input gave it.
void KeepInputNodeRefs(const ExportRequest& request, std::map<std::string, RawSection>& raw) {
  const schemas::SectionSpec* node_section = schemas::FindSection("node");
  if (node_section == nullptr) return;
  for (const FieldSpec& f : node_section->item.fields) {
    if (f.ref.empty() || !raw[f.ref].carried) continue;
    for (const auto& [kind, input] : request.input) {
      if (kind != "node" || !input.is_object() || !input.contains(f.name)) continue;
      if (Value* n = FindBody(raw["node"], *node_section, input.value("name", ""))) (*n)[f.name] = input[f.name];
    }
  }
}

}  // namespace

Result<ExportedSpec> ExportKinds(const std::vector<ResourceKind*>& kinds, const ExportRequest& request) {
  std::set<std::string> known;
  for (const ResourceKind* k : kinds) known.insert(k->traits().name);
  for (const std::string& wanted : request.kinds) {
    if (known.count(wanted) != 0) continue;
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    return Fail(Code::kInvalidArgument, "--kind " + wanted + ": no such kind (this cluster session has: " +
                                            (list.empty() ? "none" : list) + ")");
  }

  ExportedSpec out;
  // Kinds without a section of their own (node networks, corosync, a node's repositories and sshd) give parts
  // of the sections they are derived from; those sections are exported too.
  std::vector<ExportPart> parts;
  std::vector<std::string> wanted = request.kinds;
  for (ResourceKind* k : kinds) {
    const std::string& name = k->traits().name;
    if (schemas::FindSection(name) != nullptr || !Selected(request.kinds, name)) continue;
    auto* source = dynamic_cast<ExportsParts*>(k);
    if (source == nullptr) {
      out.notes.push_back("kind " + name + ": not exported (it has no spec section of its own)");
      continue;
    }
    Result<std::vector<ExportPart>> got = source->ExportParts();
    if (!got) return Fail(WithContext(got.error(), "export " + name));
    if (got->empty()) out.notes.push_back("kind " + name + ": nothing to export (none found, or not reachable)");
    for (ExportPart& part : *got) {
      if (!PartOnNodes(part, request.nodes)) continue;
      if (!request.kinds.empty() && !Selected(wanted, part.section)) wanted.push_back(part.section);
      parts.push_back(std::move(part));
    }
  }
  const std::vector<std::string> selected = WithReferencedKinds(wanted);
  for (const std::string& k : selected) {
    if (known.count(k) != 0 && !Selected(request.kinds, k)) {
      out.notes.push_back("kind " + k + ": exported too, because the kinds asked for name its objects");
    }
  }

  // 1. Each section's raw bodies: observed by its kind, or carried over from the input spec.
  std::map<std::string, RawSection> raw;
  for (const schemas::SectionSpec& section : schemas::Sections()) {
    ResourceKind* kind = nullptr;
    for (ResourceKind* k : kinds) {
      if (k->traits().name == section.kind) kind = k;
    }
    if (!Selected(selected, section.kind)) continue;
    RawSection& into = raw[section.kind];
    if (kind != nullptr) {
      Result<std::vector<Observed>> observed = kind->ObserveAll();
      if (!observed) return Fail(WithContext(observed.error(), "observe " + section.kind));
      for (const Observed& o : *observed) {
        if (OnNodes(o.body, request.nodes)) into.bodies.push_back(o.body);
      }
      continue;
    }
    // No kind of this session reads these objects: carry the input spec's over as written, so the objects
    // the others name (nodes named by guests) are still declared.
    for (const auto& [k, input] : request.input) {
      if (k == section.kind && OnNodes(input, request.nodes)) into.bodies.push_back(input);
    }
    into.carried = !into.bodies.empty();
    if (into.carried) {
      out.notes.push_back(section.path + ": carried over from the input spec as written (no kind of this "
                          "session reads " + section.kind + " objects)");
    }
  }

  // 2. The derived kinds' parts: merged into their objects (made when the section has none yet), the parts
  // that hold on one node folded into shared objects.
  std::map<std::string, std::map<std::string, Value>> node_parts;  // section -> node -> merged parts
  for (const ExportPart& part : parts) {
    const schemas::SectionSpec* section = schemas::FindSection(part.section);
    if (section == nullptr) continue;
    if (!part.node.empty()) {
      MergeInto(node_parts[part.section][part.node], part.body);
      continue;
    }
    RawSection& into = raw[part.section];
    Value* body = FindBody(into, *section, part.name);
    if (body == nullptr) {
      into.bodies.push_back(Value::object());
      body = &into.bodies.back();
      if (!part.name.empty()) (*body)[section->identity] = part.name;
    }
    MergeInto(*body, part.body);
  }
  for (const auto& [section, by_node] : node_parts) FoldNodeParts(section, by_node, raw);
  KeepInputNodeRefs(request, raw);

  // 3. What the spec may say about each object, in the spec's section order.
  for (const schemas::SectionSpec& section : schemas::Sections()) {
    auto it = raw.find(section.kind);
    if (it == raw.end()) continue;
    ExportedSection exported{&section, {}};
    for (const Value& raw_body : it->second.bodies) {
      const std::string name = raw_body.value(section.identity, Value()).is_string()
                                   ? raw_body.value(section.identity, std::string())
                                   : raw_body.value(section.identity, Value()).dump();
      Value body = ExportBody(raw_body, section.item, section.kind + " " + name);
      if (body.is_null() || !Named(section, body)) {
        if (!it->second.carried) {
          out.notes.push_back(section.kind + "/" + name + ": not exported (its observed body has no `" +
                              section.identity + "`)");
        }
        continue;
      }
      if (section.singleton || it->second.carried) AddSettings(section, request, body);
      exported.objects.push_back(std::move(body));
    }
    if (!section.identity.empty()) {
      std::stable_sort(exported.objects.begin(), exported.objects.end(), [&](const Value& a, const Value& b) {
        return IdentityLess(a[section.identity], b[section.identity]);
      });
    }
    if (!exported.objects.empty()) out.sections.push_back(std::move(exported));
  }

  // Settings sections (`enforcement:`) are no kind's objects and the cluster knows nothing of them: the
  // input spec's are carried over as written, whatever the kinds asked for.
  for (const schemas::SectionSpec& section : schemas::SettingsSections()) {
    for (const auto& [k, input] : request.input) {
      if (k != section.kind) continue;
      out.sections.push_back(ExportedSection{&section, {input}});
      out.notes.push_back(section.path + ": carried over from the input spec as written (settings, not objects)");
    }
  }
  LeaveRunStateToHa(out);
  return out;
}

}  // namespace hainfra::exporting
