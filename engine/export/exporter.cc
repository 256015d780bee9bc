#include "engine/export/exporter.h"

#include <algorithm>
#include <set>

#include "engine/export/export_body.h"

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

// Copies the unmanaged fields (connection settings) of the input spec's object of this kind, as written.
void AddSettings(const schemas::SectionSpec& section, const ExportRequest& request, Value& body) {
  for (const auto& [kind, settings] : request.input) {
    if (kind != section.kind || !settings.is_object()) continue;
    if (settings.value(section.identity, Value()) != body.value(section.identity, Value())) continue;
    for (const FieldSpec& field : section.item.fields) {
      if (field.managed || !settings.contains(field.name)) continue;
      body[field.name] = Setting(settings[field.name], field, section.kind + " " + field.name);
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
  const std::vector<std::string> selected = WithReferencedKinds(request.kinds);
  for (const std::string& k : selected) {
    if (known.count(k) != 0 && !Selected(request.kinds, k)) {
      out.notes.push_back("kind " + k + ": exported too, because the kinds asked for name its objects");
    }
  }
  for (const schemas::SectionSpec& section : schemas::Sections()) {
    ResourceKind* kind = nullptr;
    for (ResourceKind* k : kinds) {
      if (k->traits().name == section.kind) kind = k;
    }
    const bool wanted = Selected(selected, section.kind);
    ExportedSection exported{&section, {}};
    if (kind != nullptr && wanted) {
      Result<std::vector<Observed>> observed = kind->ObserveAll();
      if (!observed) return Fail(WithContext(observed.error(), "observe " + section.kind));
      for (const Observed& o : *observed) {
        if (!OnNodes(o.body, request.nodes)) continue;
        Value body = ExportBody(o.body, section.item, section.kind + " " + o.address.name);
        if (body.is_null() || !Named(section, body)) {
          out.notes.push_back(o.address.ToString() + ": not exported (its observed body has no `" +
                              section.identity + "`)");
          continue;
        }
        if (section.singleton) AddSettings(section, request, body);
        exported.objects.push_back(std::move(body));
      }
    } else if (kind == nullptr && wanted) {
      // No kind of this session reads these objects: carry the input spec's over as written, so the objects
      // the others name (nodes named by guests) are still declared.
      size_t carried = 0;
      for (const auto& [k, input] : request.input) {
        if (k != section.kind || !OnNodes(input, request.nodes)) continue;
        Value body = ExportBody(input, section.item, section.kind + " " + input.value(section.identity, Value()).dump());
        if (body.is_null() || !Named(section, body)) continue;
        AddSettings(section, request, body);
        exported.objects.push_back(std::move(body));
        ++carried;
      }
      if (carried > 0) {
        out.notes.push_back(section.path + ": carried over from the input spec as written (no kind of this "
                            "session reads " + section.kind + " objects)");
      }
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
  for (const ResourceKind* k : kinds) {
    const std::string& name = k->traits().name;
    if (schemas::FindSection(name) == nullptr && Selected(selected, name)) {
      out.notes.push_back("kind " + name + ": not exported (it has no spec section of its own)");
    }
  }
  return out;
}

}  // namespace hainfra::exporting
