#include "providers/kinds/network_body.h"

#include "providers/kinds/section_objects.h"
#include "providers/pve/network_interfaces.h"
#include "providers/pve/pending_changes.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

bool Blank(const Value& v) {
  return v.is_null() || (v.is_array() && v.empty()) || (v.is_string() && v.get<std::string>().empty());
}

}  // namespace

FieldSpec NetworkBody() {
  FieldSpec body;
  body.name = "network";
  body.type = FieldType::kObject;
  FieldSpec node;
  node.name = "node";
  node.managed = false;
  FieldSpec address;
  address.name = "address";
  address.managed = false;
  body.fields = {node, address};
  const FieldSpec node_spec = SectionBody("node");
  if (const FieldSpec* list = FindField(node_spec, "network")) body.fields.push_back(*list);
  return body;
}

Value ObservedNetworkBody(const std::string& node, const Value& envelope) {
  Value body = {{"node", node}, {"network", Value::array()}, {"pending", Value::array()}};
  if (!envelope.is_object()) return body;
  const Value data = envelope.value("data", Value::array());
  if (data.is_array()) {
    for (const Value& item : data) {
      // An entry without its name as text is no interface Proxmox reports (reading it as one would throw).
      if (!item.is_object() || !item.contains("iface") || !item["iface"].is_string()) continue;
      if (item["iface"] == "lo") continue;
      body["network"].push_back(pve::InterfaceFromApi(item));
    }
  }
  const Value changes = envelope.value("changes", Value());
  if (changes.is_string() && !changes.get<std::string>().empty()) {
    const pve::PendingChanges pending = pve::ParsePendingChanges(changes.get<std::string>());
    for (const auto& name : pending.interfaces) body["pending"].push_back(name);
    body["pending_unattributed"] = pending.unattributed || pending.interfaces.empty();
  }
  return body;
}

bool DiffersOnWritten(const Value& want, const Value& have) {
  for (auto it = want.begin(); it != want.end(); ++it) {
    if (it.key() == "iface" || it.key() == "state") continue;
    auto twin = have.find(it.key());
    const Value none;
    const Value& other = twin == have.end() ? none : *twin;
    if (Blank(it.value()) && Blank(other)) continue;
    if (it.value().is_boolean() || other.is_boolean()) {
      if (pve::TruthOf(it.value()) != pve::TruthOf(other)) return true;
      continue;
    }
    if (it.value() != other) return true;
  }
  return false;
}

}  // namespace hainfra::providers
