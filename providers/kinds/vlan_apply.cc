// The VLAN kind's verbs: stage zones, vnets and subnets in the SDN pending config (with the PVE 9 lock
// token), then one PUT /cluster/sdn applies them all.
#include <set>

#include "providers/kinds/vlan.h"
#include "providers/kinds/vlan_body.h"
#include "providers/pve/sdn_pending.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

constexpr auto kApplyTimeout = std::chrono::minutes(10);

const std::vector<std::string>& VnetKeys() {
  static const std::vector<std::string> keys = {"zone", "tag", "alias", "vlan_aware", "isolate_ports"};
  return keys;
}

std::string Joined(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ",") + k;
  return out;
}

// The pending view (what the next apply gives) of every listed object, by id.
std::map<std::string, Value> PendingById(const Value& list, const char* id_key) {
  std::map<std::string, Value> out;
  for (const Value& item : list) {
    const pve::SdnViews views = pve::SplitSdnPending(item);
    if (views.pending) out[item.value(id_key, "")] = *views.pending;
  }
  return out;
}

}  // namespace

Status VlanKind::WithToken(Value& params) {
  if (deps_.pve.major < 9) return Ok();
  if (token_.empty()) {
    // allow-pending: a change someone staged and never applied is applied with ours (documented).
    auto token = deps_.api->Post("/cluster/sdn/lock", {{"allow-pending", 1}});
    if (!token) return Fail(WithContext(token.error(), "take the SDN lock"));
    if (!token->is_string()) return Fail(Code::kInternal, "take the SDN lock: no token in the answer");
    token_ = token->get<std::string>();
  }
  params["lock-token"] = token_;
  return Ok();
}

void VlanKind::ReleaseLock() {
  std::lock_guard<std::mutex> lock(mu_);
  if (token_.empty()) return;
  (void)deps_.api->Delete("/cluster/sdn/lock", {{"lock-token", token_}});
  token_.clear();
}

Status VlanKind::Staged(Status status) {
  if (!status && !token_.empty()) {
    (void)deps_.api->Delete("/cluster/sdn/lock", {{"lock-token", token_}});
    token_.clear();
  }
  return status;
}

Status VlanKind::EnsureZone(const std::string& zone, const std::string& bridge) {
  auto zones = deps_.api->Get("/cluster/sdn/zones", {{"pending", 1}});
  if (!zones) return Fail(zones.error());
  const auto pending = PendingById(*zones, "zone");
  auto it = pending.find(zone);
  if (it == pending.end()) {
    Value params = {{"zone", zone}, {"type", "vlan"}, {"bridge", bridge}};
    if (auto st = WithToken(params); !st) return st;
    if (auto r = deps_.api->Post("/cluster/sdn/zones", params); !r) return Fail(WithContext(r.error(), "create zone " + zone));
    return Ok();
  }
  if (it->second.value("type", "") != "vlan") {
    return Fail(Code::kFailedPrecondition, "zone " + zone + " exists with type " + it->second.value("type", "") +
                                               ", not vlan; choose another zone name");
  }
  if (it->second.value("bridge", "") == bridge) return Ok();
  Value params = {{"bridge", bridge}};
  if (auto st = WithToken(params); !st) return st;
  if (auto r = deps_.api->Put(transport::ApiPath({"cluster", "sdn", "zones", zone}), params); !r) {
    return Fail(WithContext(r.error(), "set the bridge of zone " + zone));
  }
  return Ok();
}

Status VlanKind::StageVnet(const Value& desired) {
  const std::string name = desired.value("name", "");
  auto vnets = deps_.api->Get("/cluster/sdn/vnets", {{"pending", 1}});
  if (!vnets) return Fail(vnets.error());
  const auto pending = PendingById(*vnets, "vnet");
  auto it = pending.find(name);
  if (it == pending.end()) {
    Value params = VnetParams(desired);
    params["vnet"] = name;
    params["type"] = "vnet";
    if (auto st = WithToken(params); !st) return st;
    if (auto r = deps_.api->Post("/cluster/sdn/vnets", params); !r) return Fail(WithContext(r.error(), "create vnet " + name));
    return Ok();
  }
  Value have = VlanFromSdn(it->second, desired.value("bridge", ""), {});
  NormalizeVlan(have);
  if (!SdnDiffers(desired, have, VnetKeys())) return Ok();  // already staged (or running) as wanted
  Value params = VnetParams(desired);
  std::vector<std::string> removed;
  if (desired.contains("alias") && desired["alias"] == "" && have.contains("alias")) removed.push_back("alias");
  if (!removed.empty()) params["delete"] = Joined(removed);
  if (auto st = WithToken(params); !st) return st;
  if (auto r = deps_.api->Put(transport::ApiPath({"cluster", "sdn", "vnets", name}), params); !r) {
    return Fail(WithContext(r.error(), "update vnet " + name));
  }
  return Ok();
}

Status VlanKind::StageSubnets(const Value& desired) {
  if (!desired.contains("subnets")) return Ok();  // not written: not managed
  const std::string name = desired.value("name", "");
  const std::string zone = desired.value("zone", "");
  const std::string base = transport::ApiPath({"cluster", "sdn", "vnets", name, "subnets"});
  auto list = deps_.api->Get(base, {{"pending", 1}});
  if (!list) return Fail(list.error());
  const auto pending = PendingById(*list, "subnet");
  std::set<std::string> wanted;
  for (const Value& s : desired["subnets"]) {
    const std::string id = SubnetId(zone, s.value("cidr", ""));
    wanted.insert(id);
    auto it = pending.find(id);
    Value params = SubnetParams(s);
    if (auto st = WithToken(params); !st) return st;
    if (it == pending.end()) {
      params["subnet"] = s.value("cidr", "");
      params["type"] = "subnet";
      if (auto r = deps_.api->Post(base, params); !r) return Fail(WithContext(r.error(), "create subnet " + id));
      continue;
    }
    Value have = VlanFromSdn(Value::object(), "", {it->second})["subnets"][0];
    Value want = s;
    if (!want.contains("snat")) want["snat"] = false;  // a written subnet is owned whole
    if (!SdnDiffers(want, have, {"gateway", "snat"}) && (want.contains("gateway") || !have.contains("gateway"))) continue;
    if (!s.contains("gateway") && have.contains("gateway")) params["delete"] = "gateway";
    if (auto r = deps_.api->Put(transport::ApiPath({"cluster", "sdn", "vnets", name, "subnets", id}), params); !r) {
      return Fail(WithContext(r.error(), "update subnet " + id));
    }
  }
  for (const auto& [id, subnet] : pending) {
    if (wanted.contains(id)) continue;
    Value params = Value::object();
    if (auto st = WithToken(params); !st) return st;
    if (auto r = deps_.api->Delete(transport::ApiPath({"cluster", "sdn", "vnets", name, "subnets", id}), params); !r) {
      return Fail(WithContext(r.error(), "delete subnet " + id));
    }
  }
  return Ok();
}

Status VlanKind::Create(const Change& change) { return Update(change); }

Status VlanKind::Update(const Change& change) {
  std::lock_guard<std::mutex> lock(mu_);
  const Value& body = change.after;
  auto st = EnsureZone(body.value("zone", ""), body.value("bridge", ""));
  if (st) st = StageVnet(body);
  if (st) st = StageSubnets(body);
  if (!st) return Staged(Fail(WithContext(st.error(), change.address.ToString())));
  return Ok();
}

Status VlanKind::Delete(const Change& change) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string name = change.address.name;
  const std::string base = transport::ApiPath({"cluster", "sdn", "vnets", name, "subnets"});
  auto st = [&]() -> Status {
    auto list = deps_.api->Get(base, {{"pending", 1}});
    if (!list) return Fail(list.error());
    for (const auto& [id, subnet] : PendingById(*list, "subnet")) {
      Value params = Value::object();
      if (auto t = WithToken(params); !t) return t;
      if (auto r = deps_.api->Delete(transport::ApiPath({"cluster", "sdn", "vnets", name, "subnets", id}), params); !r) {
        return Fail(r.error());
      }
    }
    auto vnets = deps_.api->Get("/cluster/sdn/vnets", {{"pending", 1}});
    if (!vnets) return Fail(vnets.error());
    if (!PendingById(*vnets, "vnet").contains(name)) return Ok();  // already staged for deletion
    Value params = Value::object();
    if (auto t = WithToken(params); !t) return t;
    if (auto r = deps_.api->Delete(transport::ApiPath({"cluster", "sdn", "vnets", name}), params); !r) return Fail(r.error());
    return Ok();
  }();
  // The zone stays: other vnets (declared or not) may use it, and an empty VLAN zone is harmless.
  if (!st) return Staged(Fail(WithContext(st.error(), change.address.ToString())));
  return Ok();
}

Status VlanKind::Commit(const std::string& node) {
  (void)node;
  std::lock_guard<std::mutex> lock(mu_);
  Value params = Value::object();
  if (!token_.empty()) {
    params["lock-token"] = token_;
    params["release-lock"] = 1;
  }
  auto upid = deps_.api->Put("/cluster/sdn", params);
  if (!upid) {
    if (!token_.empty()) (void)deps_.api->Delete("/cluster/sdn/lock", {{"lock-token", token_}});
    token_.clear();
    return Fail(WithContext(upid.error(), "apply the SDN configuration (PUT /cluster/sdn)"));
  }
  token_.clear();  // the apply released it
  if (upid->is_string()) {
    auto task = deps_.api->WaitTask(upid->get<std::string>(), kApplyTimeout);
    if (!task) return Fail(WithContext(task.error(), "apply the SDN configuration"));
  }
  return Ok();
}

}  // namespace hainfra::providers
