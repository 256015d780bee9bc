#include "providers/kinds/vlan.h"

#include <map>
#include <set>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/kinds/vlan_body.h"
#include "providers/pve/sdn_pending.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {

VlanKind::VlanKind(KindDeps& deps) : deps_(deps) {
  traits_.name = "vlan";
  traits_.order = order::kSdn;
  traits_.body = SectionBody("vlan");
  traits_.rolling = false;
  traits_.commit = CommitScope::kGlobal;
  traits_.prunable = false;
}

VlanKind::~VlanKind() { ReleaseLock(); }

std::vector<Resource> VlanKind::Desired(const Spec& spec) const {
  std::vector<Resource> out = SectionObjects(spec, "vlan");
  // The nodes whose declared network carries the zone's bridge: the vnet waits for their network.
  for (Resource& r : out) {
    Value nodes = Value::array();
    const std::string bridge = r.body.value("bridge", "");
    for (const Resource* node : spec.OfKind("node")) {
      for (const Value& iface : node->body.value("network", Value::array())) {
        if (iface.value("iface", "") == bridge) nodes.push_back(node->address.name);
      }
    }
    r.body["bridge_nodes"] = nodes;
  }
  return out;
}

std::vector<Address> VlanKind::References(const Value& body) const {
  std::vector<Address> out;
  for (const Value& node : body.value("bridge_nodes", Value::array())) {
    out.push_back({"network", node.get<std::string>()});
  }
  return out;
}

Result<std::vector<Observed>> VlanKind::Observe(const std::vector<Resource>& desired) {
  std::vector<Observed> out;
  if (desired.empty()) return out;
  // Running views: what the nodes have. A pending-only edit is not there yet, so it plans as a change
  // that the apply completes (staging skips what is already pending).
  auto zones = deps_.api->Get("/cluster/sdn/zones", {{"pending", 1}});
  if (!zones) return Fail(WithContext(zones.error(), "observe vlan"));
  auto vnets = deps_.api->Get("/cluster/sdn/vnets", {{"pending", 1}});
  if (!vnets) return Fail(WithContext(vnets.error(), "observe vlan"));
  std::map<std::string, Value> zone_running;
  for (const Value& z : *zones) {
    const pve::SdnViews views = pve::SplitSdnPending(z);
    if (views.running) zone_running[z.value("zone", "")] = *views.running;
  }
  std::set<std::string> wanted;
  for (const Resource& r : desired) wanted.insert(r.address.name);
  for (const Value& v : *vnets) {
    const std::string name = v.value("vnet", "");
    if (!wanted.contains(name)) continue;
    const pve::SdnViews views = pve::SplitSdnPending(v);
    if (!views.running) continue;  // only staged so far: it does not exist yet
    const std::string zone = views.running->value("zone", "");
    auto z = zone_running.find(zone);
    if (z == zone_running.end() || z->second.value("type", "") != "vlan") continue;  // not a VLAN vnet
    auto subnets = deps_.api->Get(transport::ApiPath({"cluster", "sdn", "vnets", name, "subnets"}), {{"pending", 1}});
    if (!subnets) return Fail(WithContext(subnets.error(), "observe vlan/" + name));
    std::vector<Value> running_subnets;
    for (const Value& s : *subnets) {
      const pve::SdnViews sv = pve::SplitSdnPending(s);
      if (sv.running) running_subnets.push_back(*sv.running);
    }
    Observed o;
    o.address = {"vlan", name};
    o.body = VlanFromSdn(*views.running, z->second.value("bridge", ""), running_subnets);
    o.version = plan::Fingerprint(o.body);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<Observed>> VlanKind::ObserveAll() {
  auto vnets = deps_.api->Get("/cluster/sdn/vnets");
  if (!vnets) return Fail(WithContext(vnets.error(), "listing SDN vnets"));
  std::vector<Resource> every;
  for (const Value& v : *vnets) {
    if (!v.is_object() || !v.contains("vnet")) continue;
    Resource r;
    r.address = {"vlan", v.value("vnet", "")};
    every.push_back(std::move(r));
  }
  return Observe(every);
}

void VlanKind::Normalize(Value& body) const { NormalizeVlan(body); }

}  // namespace hainfra::providers
