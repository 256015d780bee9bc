#include "providers/kinds/ceph_pool.h"

#include <algorithm>
#include <chrono>

#include "engine/plan/field_diff.h"
#include "engine/plan/fingerprint.h"
#include "engine/plan/size.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_kind.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/pve_values.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

constexpr auto kPoolTaskTimeout = std::chrono::minutes(10);

// Settings POST and PUT take under the spec's own names.
constexpr const char* kSettings[] = {"size",        "min_size",   "pg_num",      "pg_num_min",       "pg_autoscale_mode",
                                     "application", "crush_rule", "target_size", "target_size_ratio"};

bool NoCeph(const Error& error) {
  for (const char* marker : {"not installed", "not initialized", "not initialised", "not configured"}) {
    if (error.message.find(marker) != std::string::npos) return true;
  }
  return false;
}

bool AutoscaleOn(const Value& body) { return body.is_object() && body.value("pg_autoscale_mode", "") == "on"; }

// The settings of a body as POST/PUT parameters (target_size in bytes, as the pattern allows).
Value Params(const Value& body, const std::vector<std::string>& only) {
  Value params = Value::object();
  for (const char* key : kSettings) {
    if (!only.empty() && std::find(only.begin(), only.end(), key) == only.end()) continue;
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) continue;
    if (std::string_view(key) == "target_size") {
      params[key] = pve::TextOf(*it);
    } else {
      params[key] = *it;
    }
  }
  return params;
}

}  // namespace

CephPoolKind::CephPoolKind(transport::ApiClient& api)
    : traits_{.name = "ceph_pool", .order = order::kCephPool, .body = SectionBody("ceph_pool")}, api_(api) {}

std::vector<Resource> CephPoolKind::Desired(const Spec& spec) const { return SectionObjects(spec, "ceph_pool"); }

Result<Value> CephPoolKind::DecodePool(const Value& entry) {
  Value body = Value::object();
  const std::string name = pve::TextOf(entry.value("pool_name", Value()));
  if (name.empty()) return Fail(Code::kInternal, "a pool without pool_name");
  body["name"] = name;
  for (const char* key : {"size", "min_size", "pg_num", "pg_num_min"}) {
    auto it = entry.find(key);
    if (it == entry.end() || it->is_null()) continue;
    std::optional<int64_t> n = pve::IntOf(*it);
    if (!n) return Fail(Code::kInternal, std::string(key) + ": " + it->dump() + " is not an integer");
    body[key] = *n;
  }
  if (entry.contains("pg_autoscale_mode") && entry["pg_autoscale_mode"].is_string()) {
    body["pg_autoscale_mode"] = entry["pg_autoscale_mode"];
  }
  // The list names the application only in application_metadata ({"rbd": {}}).
  const Value& apps = entry.value("application_metadata", Value::object());
  if (apps.is_object() && !apps.empty()) body["application"] = apps.begin().key();
  // The list gives the CRUSH rule as a numeric id plus its name; create/update and the spec use the name.
  if (entry.contains("crush_rule_name") && entry["crush_rule_name"].is_string()) {
    body["crush_rule"] = entry["crush_rule_name"];
  } else if (entry.contains("crush_rule") && !pve::IntOf(entry["crush_rule"])) {
    body["crush_rule"] = pve::TextOf(entry["crush_rule"]);
  }
  // target_size: Ceph's target_size_bytes (older answers may carry Proxmox's own "2T" spelling).
  if (entry.contains("target_size") && !entry["target_size"].is_null()) {
    std::optional<int64_t> bytes = plan::ParseSize(entry["target_size"]);
    if (bytes && *bytes > 0) body["target_size"] = *bytes;
  }
  if (entry.contains("target_size_ratio") && !entry["target_size_ratio"].is_null()) {
    std::optional<double> ratio = pve::NumberOf(entry["target_size_ratio"]);
    if (ratio && *ratio > 0) body["target_size_ratio"] = *ratio;
  }
  return body;
}

std::string CephPoolKind::PoolVersion(const Value& body) {
  Value own = body;
  if (AutoscaleOn(own)) own.erase("pg_num");
  return plan::Fingerprint(own);
}

Result<std::string> CephPoolKind::Node() {
  {
    std::lock_guard lock(mu_);
    if (!node_.empty()) return node_;
  }
  Result<Value> nodes = api_.Get("/nodes");
  if (!nodes) return Fail(nodes.error());
  std::vector<std::string> online;
  if (nodes->is_array()) {
    for (const Value& n : *nodes) {
      if (n.value("status", "") == "online") online.push_back(pve::TextOf(n.value("node", Value())));
    }
  }
  std::sort(online.begin(), online.end());
  if (online.empty() || online.front().empty()) {
    return Fail(Code::kUnavailable, "no node is online to read Ceph pools from");
  }
  std::lock_guard lock(mu_);
  node_ = online.front();
  return node_;
}

Result<std::vector<std::pair<std::string, Value>>> CephPoolKind::ListPools(const std::string& node) {
  Result<Value> pools = api_.Get(transport::ApiPath({"nodes", node, "ceph", "pool"}));
  if (!pools) return Fail(pools.error());
  std::vector<std::pair<std::string, Value>> out;
  if (!pools->is_array()) return out;
  for (const Value& entry : *pools) {
    Result<Value> body = DecodePool(entry);
    if (!body) return Fail(WithContext(body.error(), "ceph pool " + pve::TextOf(entry.value("pool_name", Value()))));
    const std::string name = (*body)["name"].get<std::string>();
    out.emplace_back(name, std::move(*body));
  }
  return out;
}

Result<std::vector<Observed>> CephPoolKind::Observe(const std::vector<Resource>& desired) {
  std::string problems;
  bool wanted = false;
  for (const Resource& r : desired) {
    if (r.absent) continue;
    wanted = true;
    if (r.body.contains("erasure_coding")) {
      problems += "\n" + Where(r) + r.address.ToString() +
                  ": erasure_coding: hainfra does not manage erasure-coded pools yet (Proxmox makes one of "
                  "<name>-data and <name>-metadata); create it with pveceph and leave it out of the spec";
    }
  }
  if (!problems.empty()) return Fail(Code::kInvalidArgument, "refused:" + problems);
  Result<std::string> node = Node();
  if (!node) return Fail(node.error());
  Result<std::vector<std::pair<std::string, Value>>> pools = ListPools(*node);
  if (!pools) {
    // A cluster without Ceph has no pools; that only matters when the spec declares some.
    if (NoCeph(pools.error()) && !wanted) return std::vector<Observed>{};
    return Fail(WithContext(pools.error(), "reading Ceph pools through " + *node));
  }
  std::vector<Observed> out;
  for (auto& [name, body] : *pools) {
    Observed o;
    o.address = Address{"ceph_pool", name};
    o.version = PoolVersion(body);
    o.body = std::move(body);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<Observed>> CephPoolKind::ObserveAll() {
  Result<std::vector<Observed>> all = Observe({});
  if (!all) return all;
  std::erase_if(*all, [](const Observed& o) { return o.address.name.starts_with('.'); });
  return all;
}

void CephPoolKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  auto state = body.find("state");
  if (state != body.end() && (*state == "present" || *state == "absent")) body.erase(state);
  // target_size in bytes: "2T" == 2199023255552.
  auto target = body.find("target_size");
  if (target != body.end()) {
    if (std::optional<int64_t> bytes = plan::ParseSize(*target)) *target = *bytes;
  }
}

Status CephPoolKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  (void)desired;
  // While the autoscaler is on it owns pg_num: the pool's current pg_num is not drift to fight.
  const bool autoscale = change.after.contains("pg_autoscale_mode") ? AutoscaleOn(change.after)
                                                                     : AutoscaleOn(observed.body);
  if (autoscale) {
    std::erase_if(change.fields, [](const FieldChange& f) { return f.pointer == "/pg_num"; });
  }
  for (FieldChange& f : change.fields) {
    if (f.pointer == "/application") {
      f.refused = "Ceph cannot take an application away from a pool; create a new pool for " +
                  pve::TextOf(f.after) + " and move the data";
    }
  }
  return Ok();
}

Status CephPoolKind::Wait(const Result<Value>& upid, const std::string& what) {
  if (!upid) return Fail(WithContext(upid.error(), what));
  if (!upid->is_string()) return Ok();  // nothing to wait for
  Result<transport::TaskResult> task = api_.WaitTask(upid->get<std::string>(), kPoolTaskTimeout);
  if (!task) return Fail(WithContext(task.error(), what));
  return Ok();
}

Status CephPoolKind::Create(const Change& change) {
  Result<std::string> node = Node();
  if (!node) return Fail(node.error());
  Value params = Params(change.after, {});
  params["name"] = change.address.name;
  return Wait(api_.Post(transport::ApiPath({"nodes", *node, "ceph", "pool"}), params),
              change.address.ToString() + ": create");
}

Status CephPoolKind::Update(const Change& change) {
  Result<std::string> node = Node();
  if (!node) return Fail(node.error());
  // No digest for pools: re-read and refuse when the pool changed since the plan (unless it is already
  // as wanted: a retried step whose first task ran).
  Result<std::vector<std::pair<std::string, Value>>> pools = ListPools(*node);
  if (!pools) return Fail(WithContext(pools.error(), change.address.ToString()));
  auto it = std::find_if(pools->begin(), pools->end(), [&](const auto& p) { return p.first == change.address.name; });
  if (it == pools->end()) {
    return Fail(Code::kFailedPrecondition, change.address.ToString() + " is gone since it was planned; plan again");
  }
  if (PoolVersion(it->second) != change.version) {
    Value now = it->second;
    Normalize(now);
    std::vector<FieldChange> left;
    plan::DiffFields(traits_.body, change.after, now, /*creating=*/false, left);
    if (AutoscaleOn(change.after)) std::erase_if(left, [](const FieldChange& f) { return f.pointer == "/pg_num"; });
    if (left.empty()) return Ok();
    return Fail(Code::kFailedPrecondition,
                change.address.ToString() + " changed in the cluster since it was planned; plan again");
  }
  Value params = Params(change.after, ChangedFields(change));
  if (params.empty()) return Ok();
  return Wait(api_.Put(transport::ApiPath({"nodes", *node, "ceph", "pool", change.address.name}), params),
              change.address.ToString() + ": update");
}

Status CephPoolKind::Delete(const Change& change) {
  Result<std::string> node = Node();
  if (!node) return Fail(node.error());
  // Never `remove_storages`: a storage definition is the storage kind's to remove, and only when declared.
  Result<Value> upid = api_.Delete(transport::ApiPath({"nodes", *node, "ceph", "pool", change.address.name}));
  Status done = Wait(upid, change.address.ToString() + ": destroy");
  if (!done && done.error().message.find("does not exist") != std::string::npos) return Ok();
  return done;
}

}  // namespace hainfra::providers
