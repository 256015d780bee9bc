#include "providers/kinds/pool.h"

#include <algorithm>
#include <set>

#include "engine/plan/field_diff.h"
#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_kind.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/pve_values.h"

namespace hainfra::providers {
namespace {

constexpr const char* kPoolsPath = "/pools";

// The strings of a spec list (vmids are integers there, text in the API).
std::vector<std::string> PoolItems(const Value& body, const char* key) {
  std::vector<std::string> out;
  if (!body.is_object() || !body.contains(key) || !body[key].is_array()) return out;
  for (const Value& v : body[key]) out.push_back(pve::TextOf(v));
  return out;
}

std::vector<std::string> PoolMinus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  return out;
}

// "a/b/c" -> "a/b"; "" for a top-level pool.
std::string PoolParent(const std::string& id) {
  const size_t slash = id.rfind('/');
  return slash == std::string::npos ? "" : id.substr(0, slash);
}

}  // namespace

PoolKind::PoolKind(transport::ApiClient& api)
    : traits_{.name = "pool", .order = order::kPool, .body = SectionBody("pool")}, api_(api) {}

std::vector<Resource> PoolKind::Desired(const Spec& spec) const { return SectionObjects(spec, "pool"); }

Result<Value> PoolKind::Decode(const Value& pool) {
  const std::string id = pve::TextOf(pool.value("poolid", Value()));
  if (id.empty()) return Fail(Code::kInternal, "a pool without poolid");
  Value body = {{"id", id}, {"vms", Value::array()}, {"storage", Value::array()}};
  if (pool.contains("comment") && !pve::TextOf(pool["comment"]).empty()) body["comment"] = pool["comment"];
  for (const Value& m : pool.value("members", Value::array())) {
    const std::string type = m.value("type", "");
    if (type == "qemu" || type == "lxc" || type == "openvz") {
      std::optional<int64_t> vmid = pve::IntOf(m.value("vmid", Value()));
      if (!vmid) return Fail(Code::kInternal, "pool " + id + ": a guest member without vmid: " + m.dump());
      body["vms"].push_back(*vmid);
    } else if (type == "storage") {
      body["storage"].push_back(pve::TextOf(m.value("storage", Value())));
    }
  }
  return body;
}

Result<std::optional<Value>> PoolKind::ReadPool(const std::string& id) const {
  Result<Value> answer = api_.Get(kPoolsPath, Value{{"poolid", id}});
  if (!answer) {
    if (answer.error().message.find("does not exist") != std::string::npos) return std::optional<Value>();
    return Fail(WithContext(answer.error(), "pool/" + id));
  }
  for (const Value& pool : answer->is_array() ? *answer : Value::array()) {
    if (pve::TextOf(pool.value("poolid", Value())) == id) return std::optional<Value>(pool);
  }
  return std::optional<Value>();
}

Result<std::vector<Observed>> PoolKind::ObservePools(const std::vector<std::string>& ids) {
  std::vector<Observed> out;
  for (const std::string& id : ids) {
    Result<std::optional<Value>> pool = ReadPool(id);
    if (!pool) return Fail(pool.error());
    if (!pool->has_value()) continue;  // deleted in between
    Result<Value> body = Decode(**pool);
    if (!body) return Fail(body.error());
    Observed o;
    o.address = Address{"pool", id};
    o.version = plan::Fingerprint(*body);  // members' nodes and figures move; the pool is its body
    o.body = std::move(*body);
    out.push_back(std::move(o));
  }
  return out;
}

Result<std::vector<Observed>> PoolKind::Observe(const std::vector<Resource>& desired) {
  if (desired.empty()) return std::vector<Observed>();
  Result<Value> list = api_.Get(kPoolsPath);
  if (!list) return Fail(WithContext(list.error(), "pools"));
  std::set<std::string> existing;
  for (const Value& pool : list->is_array() ? *list : Value::array()) {
    existing.insert(pve::TextOf(pool.value("poolid", Value())));
  }
  std::set<std::string> declared;
  for (const Resource& r : desired) {
    if (!r.absent) declared.insert(r.address.name);
  }
  // pve-manager creates a nested pool only under an existing parent.
  std::string problems;
  std::vector<std::string> wanted;
  for (const Resource& r : desired) {
    if (existing.count(r.address.name) != 0) wanted.push_back(r.address.name);
    const std::string parent = PoolParent(r.address.name);
    if (r.absent || parent.empty() || declared.count(parent) != 0 || existing.count(parent) != 0) continue;
    problems += "\n" + Where(r) + r.address.ToString() + ": its parent pool `" + parent +
                "` is neither declared nor in the cluster (Proxmox creates nested pools only under an existing one)";
  }
  if (!problems.empty()) return Fail(Code::kInvalidArgument, "refused:" + problems);
  return ObservePools(wanted);
}

Result<std::vector<Observed>> PoolKind::ObserveAll() {
  Result<Value> list = api_.Get(kPoolsPath);
  if (!list) return Fail(WithContext(list.error(), "pools"));
  std::vector<std::string> ids;
  for (const Value& pool : list->is_array() ? *list : Value::array()) {
    ids.push_back(pve::TextOf(pool.value("poolid", Value())));
  }
  return ObservePools(ids);
}

void PoolKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  auto state = body.find("state");
  if (state != body.end() && (*state == "present" || *state == "absent")) body.erase(state);
}

std::vector<Address> PoolKind::References(const Value& body) const {
  std::vector<Address> out;
  if (!body.is_object()) return out;
  for (const std::string& vmid : PoolItems(body, "vms")) {
    out.push_back(Address{"vm", vmid});  // a vmid is a VM's or a container's: whichever is declared
    out.push_back(Address{"ct", vmid});
  }
  for (const std::string& storage : PoolItems(body, "storage")) out.push_back(Address{"storage", storage});
  const std::string parent = PoolParent(pve::TextOf(body.value("id", Value())));
  if (!parent.empty()) out.push_back(Address{"pool", parent});
  return out;
}

Status PoolKind::Members(const std::string& id, const std::vector<std::string>& vms,
                         const std::vector<std::string>& storage, bool remove) {
  if (vms.empty() && storage.empty()) return Ok();
  Value params = {{"poolid", id}};
  if (!vms.empty()) params["vms"] = pve::JoinList(vms);
  if (!storage.empty()) params["storage"] = pve::JoinList(storage);
  if (remove) params["delete"] = 1;
  else if (!vms.empty()) params["allow-move"] = 1;  // the spec puts the guest here, wherever it was
  Result<Value> put = api_.Put(kPoolsPath, params);
  if (!put) return Fail(WithContext(put.error(), "pool/" + id));
  return Ok();
}

Status PoolKind::Create(const Change& change) {
  const std::string& id = change.address.name;
  Value params = {{"poolid", id}};
  if (change.after.contains("comment")) params["comment"] = change.after["comment"];
  Result<Value> post = api_.Post(kPoolsPath, params);
  if (!post) return Fail(WithContext(post.error(), change.address.ToString()));
  return Members(id, PoolItems(change.after, "vms"), PoolItems(change.after, "storage"), /*remove=*/false);
}

Status PoolKind::Update(const Change& change) {
  const std::string& id = change.address.name;
  Result<std::optional<Value>> pool = ReadPool(id);
  if (!pool) return Fail(pool.error());
  if (!pool->has_value()) return Fail(Code::kFailedPrecondition, change.address.ToString() + " is gone; plan again");
  Result<Value> current = Decode(**pool);
  if (!current) return Fail(current.error());
  if (plan::Fingerprint(*current) != change.version) {
    // Changed since the plan: nothing to do when it is already as wanted, else never overwrite.
    std::vector<FieldChange> left;
    plan::DiffFields(traits_.body, change.after, *current, /*creating=*/false, left);
    if (left.empty()) return Ok();
    return Fail(Code::kFailedPrecondition,
                change.address.ToString() + " changed in the cluster since it was planned; plan again");
  }
  const std::vector<std::string> fields = ChangedFields(change);
  auto changed = [&](const char* f) { return std::find(fields.begin(), fields.end(), f) != fields.end(); };
  if (changed("comment")) {
    Result<Value> put = api_.Put(kPoolsPath, Value{{"poolid", id}, {"comment", change.after.value("comment", "")}});
    if (!put) return Fail(WithContext(put.error(), change.address.ToString()));
  }
  // A written member list is owned whole: what it leaves out leaves the pool.
  const bool vms = changed("vms"), storage = changed("storage");
  const std::vector<std::string> want_vms = PoolItems(change.after, "vms"), have_vms = PoolItems(*current, "vms");
  const std::vector<std::string> want_st = PoolItems(change.after, "storage"), have_st = PoolItems(*current, "storage");
  if (Status out = Members(id, vms ? PoolMinus(have_vms, want_vms) : std::vector<std::string>{},
                           storage ? PoolMinus(have_st, want_st) : std::vector<std::string>{}, /*remove=*/true);
      !out) {
    return out;
  }
  return Members(id, vms ? PoolMinus(want_vms, have_vms) : std::vector<std::string>{},
                 storage ? PoolMinus(want_st, have_st) : std::vector<std::string>{}, /*remove=*/false);
}

Status PoolKind::Delete(const Change& change) {
  const std::string& id = change.address.name;
  Result<std::optional<Value>> pool = ReadPool(id);
  if (!pool) return Fail(pool.error());
  if (!pool->has_value()) return Ok();  // already gone
  Result<Value> current = Decode(**pool);
  if (!current) return Fail(current.error());
  // Proxmox deletes only empty pools; the members themselves stay.
  if (Status out = Members(id, PoolItems(*current, "vms"), PoolItems(*current, "storage"), /*remove=*/true); !out) {
    return out;
  }
  Result<Value> gone = api_.Delete(kPoolsPath, Value{{"poolid", id}});
  if (!gone) return Fail(WithContext(gone.error(), change.address.ToString()));
  return Ok();
}

}  // namespace hainfra::providers
