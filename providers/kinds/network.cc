#include "providers/kinds/network.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/network_body.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/network_interfaces.h"
#include "providers/transport/api_error.h"
#include "providers/pve/pending_changes.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

std::chrono::milliseconds ConfirmTimeoutFromEnvironment() {
  // Read once at construction: tests and impatient operators shorten it; 60 s suits a real switch port.
  const char* text = std::getenv("HAINFRA_NETWORK_CONFIRM_SECONDS");
  if (text != nullptr) {
    char* end = nullptr;
    const double seconds = std::strtod(text, &end);
    if (end != text && seconds > 0) return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  }
  return std::chrono::seconds(60);
}

std::string Joined(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

NetworkKind::NetworkKind(KindDeps& deps) : deps_(deps), confirm_timeout_(ConfirmTimeoutFromEnvironment()) {
  traits_.name = "network";
  traits_.order = order::kNetwork;
  traits_.body = NetworkBody();
  traits_.rolling = true;
  traits_.commit = CommitScope::kPerNode;
  traits_.prunable = false;
}

std::vector<Resource> NetworkKind::Desired(const Spec& spec) const {
  std::vector<Resource> out;
  for (const Resource* node : spec.OfKind("node")) {
    if (node->absent || !node->body.contains("network")) continue;
    Resource r;
    r.address = {"network", node->address.name};
    r.body = {{"node", node->address.name}, {"network", node->body["network"]}};
    if (node->body.contains("address")) r.body["address"] = node->body["address"];
    r.where = node->where;
    // Same pointers as in the node object: `/network/...` reads the same in both bodies.
    r.locations = node->locations;
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Observed>> NetworkKind::Observe(const std::vector<Resource>& desired) {
  std::vector<Observed> out;
  if (desired.empty()) return out;
  // Nodes not (yet) in the cluster have no network to read: they are created after they join.
  auto nodes = deps_.api->Get("/nodes");
  if (!nodes) return Fail(WithContext(nodes.error(), "observe network"));
  std::set<std::string> members;
  for (const Value& n : *nodes) members.insert(n.value("node", ""));
  for (const Resource& r : desired) {
    const std::string node = r.address.name;
    if (!members.contains(node)) continue;
    transport::Request request;
    request.path = transport::ApiPath({"nodes", node, "network"});
    auto envelope = deps_.api->SendForEnvelope(request);
    if (!envelope) return Fail(WithContext(envelope.error(), "observe network/" + node));
    Observed o;
    o.address = r.address;
    o.body = ObservedNetworkBody(node, *envelope);
    o.version = plan::Fingerprint(o.body);
    out.push_back(std::move(o));
  }
  return out;
}

void NetworkKind::Normalize(Value& body) const {
  if (!body.is_object() || !body.contains("network") || !body["network"].is_array()) return;
  for (Value& iface : body["network"]) pve::NormalizeInterface(iface);
}

Status NetworkKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  if (change.fields.empty()) return Ok();
  const Value pending = observed.body.value("pending", Value::array());
  if (!pending.empty() || observed.body.value("pending_unattributed", false)) {
    std::set<std::string> names;
    for (const Value& n : pending) names.insert(n.get<std::string>());
    const std::string node = observed.body.value("node", "");
    return Fail(Code::kFailedPrecondition,
                "node " + node + " has network changes staged by someone else in /etc/network/interfaces.new" +
                    (names.empty() ? std::string() : " (" + Joined(names) + ")") +
                    "; hainfra will not apply them: apply them (PUT /nodes/" + node +
                    "/network, or Apply Configuration in the GUI) or revert them (DELETE /nodes/" + node +
                    "/network) first");
  }
  // An interface declared `state: absent`: one change that removes it when the node has it, none otherwise.
  const Value no_interfaces = Value::array();
  const Value wanted = desired.body.is_object() ? desired.body.value("network", no_interfaces) : no_interfaces;
  const Value present = observed.body.is_object() ? observed.body.value("network", no_interfaces) : no_interfaces;
  for (const Value& want : wanted) {
    if (!want.is_object() || want.value("state", "") != "absent") continue;
    const std::string name = want.value("iface", "");
    const std::string entry = "network[" + name + "]";
    const Value* have = nullptr;
    for (const Value& iface : present) {
      if (iface.value("iface", "") == name) have = &iface;
    }
    std::string pointer;
    std::erase_if(change.fields, [&](const FieldChange& f) {
      const bool mine = f.path == entry || f.path.starts_with(entry + ".");
      if (mine && pointer.empty()) pointer = f.pointer.substr(0, f.pointer.find('/', std::string("/network/").size()));
      return mine;
    });
    if (have == nullptr) continue;
    FieldChange removal;
    removal.path = entry;
    removal.pointer = pointer;
    removal.before = *have;
    change.fields.push_back(std::move(removal));
  }
  for (FieldChange& field : change.fields) {
    if (field.path.ends_with(".type") && !field.before.is_null()) {
      field.refused = "an interface's type cannot change in place: declare it `state: absent`, apply, then declare it anew";
    }
  }
  return Ok();
}

StepScope NetworkKind::Scope(const Value& body) const { return {.node = body.value("node", ""), .guest = ""}; }

Result<std::vector<Value>> NetworkKind::ReadUnstaged(const std::string& node) {
  transport::Request request;
  request.path = transport::ApiPath({"nodes", node, "network"});
  auto envelope = deps_.api->SendForEnvelope(request);
  if (!envelope) return Fail(envelope.error());
  const Value body = ObservedNetworkBody(node, *envelope);
  if (!body["pending"].empty() || body.value("pending_unattributed", false)) {
    std::set<std::string> names;
    for (const Value& n : body["pending"]) names.insert(n.get<std::string>());
    return Fail(Code::kFailedPrecondition, "node " + node +
                                               " has network changes staged by someone else (" + Joined(names) +
                                               "); refusing to apply them: apply or revert them first");
  }
  std::vector<Value> current;
  for (Value iface : body["network"]) {
    pve::NormalizeInterface(iface);
    current.push_back(std::move(iface));
  }
  return current;
}

namespace {

// The ports (bridge) or slaves (bond) an interface body names.
std::set<std::string> PortsOf(const Value& iface) {
  std::set<std::string> out;
  for (const char* key : {"ports", "slaves"}) {
    for (const Value& p : iface.value(key, Value::array())) {
      if (p.is_string()) out.insert(p.get<std::string>());
    }
  }
  return out;
}

// New interfaces in the order Proxmox can take them: bonds before the bridges over them, bridges before the
// VLAN interfaces on them.
int CreateRank(const Value& iface) {
  const std::string type = iface.value("type", "");
  if (type == "bond") return 0;
  if (type == "bridge") return 1;
  if (type == "vlan") return 2;
  return 3;
}

}  // namespace

// Stages the node's desired interfaces into interfaces.new. Interfaces declared absent go first; then three
// passes, because Proxmox checks every request on its own: a port can belong to one interface only, and a
// bridge's ports must exist. The existing interfaces give up the ports a different interface is to take
// (vmbr0 lets go of eno1 so that the new bond0 can enslave it), then the new interfaces are created (bonds,
// bridges, VLANs), then the existing ones get their desired settings (vmbr0's ports become bond0).
Status NetworkKind::Stage(const std::string& node, const Value& desired, const std::vector<Value>& current) {
  std::vector<Value> wants;
  std::vector<std::string> removals;
  for (Value want : desired.value("network", Value::array())) {
    pve::NormalizeInterface(want);
    if (want.value("state", "") == "absent") {
      removals.push_back(want.value("iface", ""));
    } else {
      wants.push_back(std::move(want));
    }
  }
  auto find_current = [&](const std::string& name) -> const Value* {
    for (const Value& c : current) {
      if (c.value("iface", "") == name) return &c;
    }
    return nullptr;
  };
  const std::string base = transport::ApiPath({"nodes", node, "network"});

  // 0. Remove the interfaces declared absent.
  for (const std::string& name : removals) {
    if (find_current(name) == nullptr) continue;
    auto r = deps_.api->Delete(transport::ApiPath({"nodes", node, "network", name}));
    // "interface does not exist" (HTTP 400): an earlier try whose answer was lost removed it already.
    if (!r && !transport::IsGone(r.error())) {
      return Fail(WithContext(r.error(), "remove interface " + name + " on " + node));
    }
  }

  // 1. Release ports claimed by another interface.
  std::map<std::string, std::string> claimed;  // port -> interface that is to hold it
  for (const Value& want : wants) {
    for (const std::string& p : PortsOf(want)) claimed[p] = want.value("iface", "");
  }
  for (const Value& have : current) {
    const std::string name = have.value("iface", "");
    if (std::find(removals.begin(), removals.end(), name) != removals.end()) continue;
    Value keep = Value::array();
    bool released = false;
    for (const char* key : {"ports", "slaves"}) {
      if (!have.contains(key)) continue;
      keep = Value::array();
      for (const Value& p : have[key]) {
        auto c = claimed.find(p.is_string() ? p.get<std::string>() : "");
        if (c != claimed.end() && c->second != name) {
          released = true;
        } else {
          keep.push_back(p);
        }
      }
      if (!released) continue;
      Value reduced = have;
      reduced[key] = keep;
      Value params = pve::InterfaceParams(reduced);
      if (keep.empty()) params["delete"] = std::string(key) == "ports" ? "bridge_ports" : "slaves";
      auto r = deps_.api->Put(transport::ApiPath({"nodes", node, "network", name}), params);
      if (!r) return Fail(WithContext(r.error(), "release the ports of " + name + " on " + node));
      break;
    }
  }

  // 2. Create the new interfaces.
  std::vector<const Value*> creates;
  for (const Value& want : wants) {
    if (find_current(want.value("iface", "")) == nullptr) creates.push_back(&want);
  }
  std::stable_sort(creates.begin(), creates.end(),
                   [](const Value* a, const Value* b) { return CreateRank(*a) < CreateRank(*b); });
  for (const Value* want : creates) {
    const std::string name = want->value("iface", "");
    Value params = pve::InterfaceParams(*want);
    params["iface"] = name;
    // The GUI's default: a new interface comes up at boot unless the spec says otherwise.
    if (!want->contains("autostart")) params["autostart"] = 1;
    auto r = deps_.api->Post(base, params);
    if (!r) return Fail(WithContext(r.error(), "create interface " + name + " on " + node));
  }

  // 3. Update the existing ones.
  for (const Value& want : wants) {
    const std::string name = want.value("iface", "");
    const Value* have = find_current(name);
    if (have == nullptr || !DiffersOnWritten(want, *have)) continue;
    Value params = pve::InterfaceParams(want);
    // Only what the spec writes is managed: drop unwritten keys from the observed side before asking
    // which keys to remove.
    Value written_before = Value::object();
    for (auto it = want.begin(); it != want.end(); ++it) {
      if (have->contains(it.key())) written_before[it.key()] = (*have)[it.key()];
    }
    const auto removed = pve::RemovedParams(written_before, want);
    if (!removed.empty()) {
      std::string list;
      for (const auto& k : removed) list += (list.empty() ? "" : ",") + k;
      params["delete"] = list;
    }
    auto r = deps_.api->Put(transport::ApiPath({"nodes", node, "network", name}), params);
    if (!r) return Fail(WithContext(r.error(), "update interface " + name + " on " + node));
  }
  return Ok();
}

Status NetworkKind::Create(const Change& change) { return Update(change); }

Status NetworkKind::Update(const Change& change) {
  const std::string node = change.after.value("node", change.address.name);
  auto current = ReadUnstaged(node);
  if (!current) return Fail(WithContext(current.error(), change.address.ToString()));
  {
    std::lock_guard<std::mutex> lock(mu_);
    previous_[node] = *current;
  }
  if (auto st = Stage(node, change.after, *current); !st) {
    // Leave nothing half-staged behind: revert interfaces.new (it held nothing foreign, checked above).
    (void)deps_.api->Delete(transport::ApiPath({"nodes", node, "network"}));
    return Fail(WithContext(st.error(), change.address.ToString()));
  }
  return Ok();
}

Status NetworkKind::Delete(const Change& change) {
  // Interfaces are never deleted as a side effect: a node's network object has no delete action.
  return Fail(Code::kFailedPrecondition,
              change.address.ToString() + ": hainfra does not delete a node's interfaces; remove them by hand");
}

}  // namespace hainfra::providers

namespace hainfra::providers {
namespace {

bool NetworkExportBlank(const Value& v) {
  return v.is_null() || (v.is_array() && v.empty()) || (v.is_string() && v.get<std::string>().empty());
}

}  // namespace

Value ExportedInterfaces(const Value& observed_network) {
  static const std::set<std::string> kDeclaredTypes = {"bridge", "bond", "vlan", "eth"};
  Value out = Value::array();
  if (!observed_network.is_array()) return out;
  for (const Value& observed : observed_network) {
    if (!observed.is_object()) continue;
    const std::string type = observed.value("type", "");
    if (!kDeclaredTypes.contains(type)) continue;  // OVS, aliases, SDN's own: not hainfra's to declare
    Value iface = Value::object();
    for (const auto& [key, value] : observed.items()) {
      if (key == "exists" || NetworkExportBlank(value)) continue;
      if (key == "vlan_aware" && value == false) continue;
      if (key == "autostart" && (value == true || type == "eth")) continue;
      iface[key] = value;
    }
    if (type == "eth" && !iface.contains("cidr") && !iface.contains("cidr6") && !iface.contains("mtu") &&
        !iface.contains("comment")) {
      continue;  // a NIC with nothing configured exists whether declared or not
    }
    pve::NormalizeInterface(iface);
    out.push_back(std::move(iface));
  }
  // An address that two interfaces hold (an installer's bridge address left in place after it moved to a
  // VLAN interface of that bridge) is declared on the last one only, so the spec loads; on the others it is
  // left unmanaged, with its gateway.
  for (const char* family : {"", "6"}) {
    const std::string cidr_key = std::string("cidr") + family, gateway_key = std::string("gateway") + family;
    for (size_t i = 0; i < out.size(); ++i) {
      const std::string cidr = out[i].value(cidr_key, "");
      if (cidr.empty()) continue;
      const std::string address = cidr.substr(0, cidr.find('/'));
      for (size_t j = i + 1; j < out.size(); ++j) {
        const std::string later = out[j].value(cidr_key, "");
        if (later.substr(0, later.find('/')) != address) continue;
        out[i].erase(cidr_key);
        out[i].erase(gateway_key);
        break;
      }
    }
  }
  return out;
}

Result<std::vector<ExportPart>> NetworkKind::ExportParts() {
  std::vector<ExportPart> parts;
  Result<Value> nodes = deps_.api->Get("/nodes");
  if (!nodes) return Fail(WithContext(nodes.error(), "reading /nodes"));
  if (!nodes->is_array()) return parts;
  for (const Value& n : *nodes) {
    const std::string node = n.is_object() ? n.value("node", "") : "";
    if (node.empty()) continue;
    transport::Request request;
    request.path = transport::ApiPath({"nodes", node, "network"});
    auto envelope = deps_.api->SendForEnvelope(request);
    if (!envelope) {
      if (n.value("status", "") != "online") continue;  // an offline node's interfaces cannot be read
      return Fail(WithContext(envelope.error(), "reading the network of " + node));
    }
    const Value body = ObservedNetworkBody(node, *envelope);
    Value interfaces = ExportedInterfaces(body.value("network", Value::array()));
    if (interfaces.empty()) continue;
    parts.push_back(ExportPart{"node", node, "", Value{{"network", std::move(interfaces)}}});
  }
  return parts;
}

}  // namespace hainfra::providers
