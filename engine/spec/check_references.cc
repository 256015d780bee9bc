// Dangling references: every value whose FieldSpec has a `ref` must name a declared, present object.
#include <functional>
#include <set>
#include <unordered_map>

#include "engine/spec/checks.h"
#include "engine/spec/suggest.h"
#include "engine/spec/typer.h"
#include "schemas/sections.h"

namespace hainfra::spec {
namespace {

using Visit = std::function<void(const std::string& ref, const std::string& name, const std::string& pointer)>;

// Records, for every field of every section, whether it or anything below it references another object.
bool Index(const FieldSpec& f, std::unordered_map<const FieldSpec*, bool>& out) {
  bool found = !f.ref.empty();
  for (const FieldSpec& sub : f.fields) found = Index(sub, out) || found;
  for (const FieldSpec& e : f.element) found = Index(e, out) || found;
  out.emplace(&f, found);
  return found;
}

// Built once (the sections never change), so the walk skips subtrees without references.
bool HasRef(const FieldSpec& f) {
  static const std::unordered_map<const FieldSpec*, bool> index = [] {
    std::unordered_map<const FieldSpec*, bool> out;
    for (const schemas::SectionSpec& s : schemas::Sections()) Index(s.item, out);
    return out;
  }();
  auto it = index.find(&f);
  return it == index.end() || it->second;
}

// Calls `visit` for every referencing value (and every referencing map key) of a body.
void Walk(const Value& v, const FieldSpec& f, const std::string& pointer, const Visit& visit) {
  if (!HasRef(f)) return;
  switch (f.type) {
    case FieldType::kObject:
      if (!v.is_object()) return;
      for (const FieldSpec& sub : f.fields) {
        auto it = v.find(sub.name);
        if (it != v.end()) Walk(*it, sub, pointer + "/" + EscapePointer(sub.name), visit);
      }
      return;
    case FieldType::kList:
      if (!v.is_array()) return;
      for (size_t i = 0; i < v.size(); ++i) Walk(v[i], f.element.front(), pointer + "/" + std::to_string(i), visit);
      return;
    case FieldType::kMap:
      if (!v.is_object()) return;
      for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string sub = pointer + "/" + EscapePointer(it.key());
        if (!f.ref.empty()) visit(f.ref, it.key(), sub);
        Walk(it.value(), f.element.front(), sub, visit);
      }
      return;
    default:
      if (f.ref.empty()) return;
      if (v.is_string()) visit(f.ref, v.get<std::string>(), pointer);
      if (v.is_number_integer()) visit(f.ref, v.dump(), pointer);
  }
}

std::string Noun(const std::string& ref) {
  if (ref == "ha_group") return "HA group";
  if (ref == "vm") return "VM";
  if (ref == "guest") return "guest";
  if (ref == "ct") return "container";
  if (ref == "ha_resource") return "HA resource";
  return ref;
}

class ReferenceChecker {
 public:
  explicit ReferenceChecker(CheckContext& ctx) : ctx_(ctx) {
    for (const Resource* node : ctx.OfKind("node")) {
      if (!node->absent && Has(node->body, "network")) manages_network_ = true;
      for (const Value& iface : ListAt(node->body, "network")) {
        if (Str(iface, "type") == "bridge") bridges_.insert(Str(iface, "iface"));
      }
    }
  }

  void Run() {
    for (const Resource& r : ctx_.spec().objects) {
      if (r.absent) continue;  // deleting an object needs nothing else to exist
      const schemas::SectionSpec* section = schemas::FindSection(r.address.kind);
      if (section == nullptr) continue;
      Walk(r.body, section->item, "", [&](const std::string& ref, const std::string& name, const std::string& p) {
        Check(r, ref, name, p);
      });
    }
  }

 private:
  void Check(const Resource& r, const std::string& ref, const std::string& name, const std::string& pointer) {
    if (ref == "bridge") {
      CheckBridge(r, name, pointer);
      return;
    }
    // A guest is a VM or a container (one vmid space).
    const Resource* target = ref == "guest" ? Guest(name) : ctx_.Find(ref, name);
    if (target == nullptr) {
      if (ref == "ha_resource") {
        const std::string vmid = name.substr(name.find(':') + 1);
        const std::string guest = name.substr(0, 3) == "ct:" ? "ct/" : "vm/";
        ctx_.Error(r, pointer, "`" + name + "` is not an HA resource: give " + guest + vmid +
                                   " an `ha:` block or add it to ha.resources");
        return;
      }
      ctx_.Error(r, pointer, "uses " + Noun(ref) + " `" + name + "`, which is not declared" +
                                 DidYouMean(name, Names(ref)));
      return;
    }
    if (target->absent) {
      ctx_.Error(r, pointer, "uses " + Noun(ref) + " `" + name + "`, which is declared absent");
    }
  }

  // A guest's bridge is a bridge some node declares, or an SDN VNet. Only checked when the spec manages node
  // networks at all: otherwise the bridges exist outside hainfra's view.
  void CheckBridge(const Resource& r, const std::string& name, const std::string& pointer) {
    if (const Resource* vlan = ctx_.Find("vlan", name)) {
      if (vlan->absent) ctx_.Error(r, pointer, "uses vlan `" + name + "`, which is declared absent");
      return;
    }
    if (!manages_network_ || bridges_.count(name) != 0) return;
    std::vector<std::string> candidates(bridges_.begin(), bridges_.end());
    for (const std::string& v : Names("vlan")) candidates.push_back(v);
    ctx_.Error(r, pointer, "uses bridge `" + name + "`, which no node declares and no vlan is named" +
                               DidYouMean(name, candidates));
  }

  const Resource* Guest(const std::string& vmid) const {
    const Resource* vm = ctx_.Find("vm", vmid);
    return vm != nullptr ? vm : ctx_.Find("ct", vmid);
  }

  std::vector<std::string> Names(const std::string& kind) const {
    std::vector<std::string> names;
    if (kind == "guest") {
      for (const char* k : {"vm", "ct"}) {
        for (const Resource* r : ctx_.OfKind(k)) names.push_back(r->address.name);
      }
      return names;
    }
    for (const Resource* r : ctx_.OfKind(kind)) names.push_back(r->address.name);
    return names;
  }

  CheckContext& ctx_;
  bool manages_network_ = false;
  std::set<std::string> bridges_;
};

}  // namespace

void CheckReferences(CheckContext& ctx) { ReferenceChecker(ctx).Run(); }

}  // namespace hainfra::spec
