#include "providers/kinds/packages_plan.h"

#include <algorithm>
#include <set>

#include "schemas/field_builders.h"

namespace hainfra::providers {
namespace {

FieldSpec SetOfNames(std::string name, std::string doc) {
  FieldSpec list = schemas::Field(std::move(name), FieldType::kList, std::move(doc));
  list.element.push_back(schemas::Field("package", FieldType::kString, ""));
  list.set = true;
  list.whole = false;
  return list;
}

std::vector<std::string> Names(const Value& body, const char* key) {
  std::vector<std::string> out;
  auto it = body.find(key);
  if (it == body.end() || !it->is_array()) return out;
  for (const Value& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

const Value& Versions(const Value& body) {
  static const Value kEmpty = Value::object();
  auto it = body.find("versions");
  return it != body.end() && it->is_object() ? *it : kEmpty;
}

bool Has(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

FieldSpec PackagesBody() {
  FieldSpec body = schemas::Field("packages", FieldType::kObject, "Debian packages of a node");
  body.fields.push_back(SetOfNames("present", "installed"));
  body.fields.push_back(SetOfNames("absent", "not installed"));
  FieldSpec versions = schemas::Field("versions", FieldType::kMap, "installed at exactly this version");
  versions.element.push_back(schemas::Field("version", FieldType::kString, ""));
  versions.whole = false;
  body.fields.push_back(std::move(versions));
  body.fields.push_back(SetOfNames("held", "installed and held (apt-mark hold)"));
  return body;
}

Value DesiredPackages(const Value& part) {
  Value body = Value::object();
  if (!part.is_object()) return body;
  for (const char* key : {"present", "absent", "versions"}) {
    if (part.contains(key)) body[key] = part[key];
  }
  std::set<std::string> held;
  for (const std::string& name : Names(part, "hold")) held.insert(name);
  for (auto it = Versions(part).begin(); it != Versions(part).end(); ++it) held.insert(it.key());
  if (!held.empty()) body["held"] = held;
  return body;
}

std::vector<std::string> PackageNames(const Value& body) {
  std::set<std::string> names;
  for (const char* key : {"present", "absent", "held"}) {
    for (const std::string& name : Names(body, key)) names.insert(name);
  }
  for (auto it = Versions(body).begin(); it != Versions(body).end(); ++it) names.insert(it.key());
  return {names.begin(), names.end()};
}

Value ObservedPackages(const Value& desired, const node::PackageStates& states) {
  std::vector<std::string> present, absent, held;
  Value versions = Value::object();
  for (const std::string& name : PackageNames(desired)) {
    auto it = states.find(name);
    const bool installed = it != states.end() && it->second.installed;
    (installed ? present : absent).push_back(name);
    if (installed && it->second.held) held.push_back(name);
    if (installed && Versions(desired).contains(name)) versions[name] = it->second.version;
  }
  Value body = Value::object();
  body["present"] = present;
  body["absent"] = absent;
  body["versions"] = versions;
  body["held"] = held;
  return body;
}

// Decision table per declared package (installed/held as dpkg reports them now):
//   pinned to V, not at V (or missing)   -> `name=V` (up- or downgrade), V must be available
//   present or held, not installed       -> `name` (the candidate), some version must be available
//   absent, installed                    -> `name-` (remove)
//   changed by the transaction and held  -> unhold first (apt refuses to touch held packages)
//   held wanted, not held after          -> hold afterwards
PackageActions PlanPackages(const Value& desired, const node::PackageStates& states) {
  PackageActions a;
  auto state = [&](const std::string& name) -> const node::PackageState* {
    auto it = states.find(name);
    return it == states.end() ? nullptr : &it->second;
  };
  auto installed = [&](const std::string& name) { return state(name) != nullptr && state(name)->installed; };
  auto held = [&](const std::string& name) { return state(name) != nullptr && state(name)->held; };
  std::set<std::string> changed;

  const Value& versions = Versions(desired);
  for (auto it = versions.begin(); it != versions.end(); ++it) {
    if (!it.value().is_string()) continue;
    const std::string& version = it.value().get_ref<const std::string&>();
    if (installed(it.key()) && state(it.key())->version == version) continue;
    a.requests.push_back(it.key() + "=" + version);
    a.needed.emplace_back(it.key(), version);
    changed.insert(it.key());
  }
  std::set<std::string> wanted;
  for (const char* key : {"present", "held"}) {
    for (const std::string& name : Names(desired, key)) wanted.insert(name);
  }
  for (const std::string& name : wanted) {
    if (installed(name) || versions.contains(name)) continue;
    a.requests.push_back(name);
    a.needed.emplace_back(name, "");
    changed.insert(name);
  }
  for (const std::string& name : Names(desired, "absent")) {
    if (!installed(name)) continue;
    a.requests.push_back(name + "-");
    a.removals.push_back(name);
    changed.insert(name);
  }
  for (const std::string& name : changed) {
    if (held(name)) a.unhold.push_back(name);
  }
  for (const std::string& name : Names(desired, "held")) {
    if (!held(name) || Has(a.unhold, name)) a.hold.push_back(name);
  }
  return a;
}

std::vector<std::string> SimulatedRemovals(std::string_view simulation) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < simulation.size()) {
    size_t end = simulation.find('\n', start);
    if (end == std::string_view::npos) end = simulation.size();
    std::string_view line = simulation.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with("Remv ")) continue;
    line.remove_prefix(5);
    const size_t space = line.find(' ');
    std::string name(line.substr(0, space));
    if (const size_t colon = name.find(':'); colon != std::string::npos) name.resize(colon);  // name:arch
    if (!name.empty() && !Has(out, name)) out.push_back(name);
  }
  return out;
}

}  // namespace hainfra::providers
