// Observing guests: GET /cluster/resources?type=vm once, then one GET .../config per declared guest, read
// in parallel (as many at once as the API client keeps connections) — or, with SSH, each config from its
// file of the one bulk read of /etc/pve (guest_list.h). Guests only relevant for pruning or
// deletion (the `hainfra` tag, `state: absent`) are observed from the list alone.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/parallel.h"
#include "providers/kinds/vm.h"
#include "providers/kinds/vm_config.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

// The facts the cluster list carries, in the spec's shape (plus hastate/lock/template, which no spec
// field declares, so they never diff; Review reads hastate).
Value ListFacts(const Value& entry) {
  Value body = Value::object();
  body["vmid"] = entry.value("vmid", 0);
  body["node"] = entry.value("node", "");
  if (entry.contains("name")) body["name"] = entry["name"];
  body["state"] = entry.value("status", "") == "running" ? "running" : "stopped";
  Value tags = Value::array();
  for (const std::string& t : vm::SplitTags(entry.value("tags", ""))) {
    if (t != vm::kOwnerTag) tags.push_back(t);
  }
  body["tags"] = tags;
  for (const char* key : {"hastate", "lock"}) {
    if (entry.contains(key) && entry[key].is_string() && !entry[key].get<std::string>().empty()) body[key] = entry[key];
  }
  if (entry.value("template", 0) == 1) body["template"] = true;
  return body;
}

}  // namespace

Result<Value> VmKind::ReadConfig(const std::string& node, const std::string& vmid) {
  auto config = deps_.api->Get(transport::ApiPath({"nodes", node, "qemu", vmid, "config"}));
  if (!config) return Fail(WithContext(config.error(), "vm/" + vmid + ": reading its config"));
  return config;
}

Result<std::vector<Observed>> VmKind::DoObserve(const std::vector<Resource>& desired) {
  auto snapshot = guests_->ReadWithFiles("vm");
  if (!snapshot) return Fail(WithContext(snapshot.error(), "listing guests"));
  const Value* list = &snapshot->list;
  std::map<std::string, bool> declared;  // vmid -> needs its config (declared and not absent)
  for (const Resource& r : desired) declared[r.address.name] = !r.absent;
  std::vector<Observed> out;
  // A declared vmid that a guest of the other type holds is observed as such: the review refuses it.
  std::map<std::string, Value> guests = GuestsOfType(*list, "qemu", "vm", desired, out);  // vmid -> entry

  // A clone whose source is neither in the cluster nor declared: observed as such, so the review refuses it
  // at plan time with an error on `clone.from` instead of failing at apply.
  std::set<std::string> names;
  for (const auto& [vmid, entry] : guests) names.insert(entry.value("name", ""));
  for (const Resource& r : desired) {
    if (r.absent || guests.contains(r.address.name) || !r.body.contains("clone")) continue;
    const Value& clone = r.body["clone"];
    const std::string from = vm::ConfigText(clone.value("from", Value("")));
    const std::string source = vm::ConfigText(clone.value("source_vmid", Value("")));
    const bool in_spec = !source.empty() && declared.contains(source) && declared.at(source);
    if (in_spec || guests.contains(from) || (!IsVmid(from) && names.contains(from))) continue;
    Observed o;
    o.address = r.address;
    o.body = {{"vmid", r.body.value("vmid", Value(0))}, {"node", r.body.value("node", "")}, {"clone_missing", from}};
    o.version = plan::Fingerprint(o.body);
    out.push_back(std::move(o));
  }

  std::vector<std::string> to_read;
  for (const auto& [vmid, entry] : guests) {
    auto d = declared.find(vmid);
    if (d != declared.end() && d->second) {
      to_read.push_back(vmid);
      continue;
    }
    const bool owned = vm::HasOwnerTag(entry.value("tags", ""));
    if (d == declared.end() && !owned) continue;  // not ours and not asked about: left alone
    Observed o;
    o.address = {"vm", vmid};
    o.body = ListFacts(entry);
    o.version = plan::Fingerprint(o.body);
    o.owned = owned;
    out.push_back(std::move(o));
  }

  std::vector<Result<Observed>> read(to_read.size(), Fail(Code::kInternal, "not read"));
  std::vector<char> gone(to_read.size(), 0);  // left the cluster between the list and the read
  auto read_one = [&](size_t i) {
    const std::string& vmid = to_read[i];
    Value entry = guests.at(vmid);
    // From its file when the configs were read in bulk (the same answer, digest included), else one GET.
    std::optional<Value> from_file = snapshot->Config(pve::GuestType::kQemu, entry.value("node", ""), vmid);
    auto config = from_file ? Result<std::optional<Value>>(std::move(from_file))
                            : guests_->ReadConfigWhereItIs(vmid, entry, [&](const std::string& node) {
                                return ReadConfig(node, vmid);
                              });
    if (!config) {
      read[i] = Fail(config.error());
      return;
    }
    if (!*config) {
      gone[i] = 1;
      return;
    }
    auto body = vm::ConfigToBody(**config);
    if (!body) {
      read[i] = Fail(WithContext(body.error(), "vm/" + vmid));
      return;
    }
    Value facts = ListFacts(entry);
    for (auto it = facts.begin(); it != facts.end(); ++it) {
      if (it.key() != "name" && it.key() != "tags") (*body)[it.key()] = it.value();
    }
    read[i] = ObservedGuest("vm", vmid, std::move(*body), **config);
  };
  ForEachParallel(to_read.size(), deps_.api->settings().max_connections, [&](size_t i) {
    try {
      read_one(i);
    } catch (const std::exception& e) {  // never let an exception end a worker thread
      read[i] = Fail(Code::kInternal, "vm/" + to_read[i] + ": unexpected config: " + e.what());
    }
  });
  for (size_t i = 0; i < read.size(); ++i) {
    if (gone[i]) continue;
    if (!read[i]) return Fail(read[i].error());
    out.push_back(std::move(*read[i]));
  }
  return out;
}

Result<std::vector<Observed>> VmKind::Observe(const std::vector<Resource>& desired) {
  try {
    return DoObserve(desired);
  } catch (const std::exception& e) {  // an answer of an unexpected shape: an error, never an exception
    return Fail(Code::kInternal, "observing guests: unexpected answer: " + std::string(e.what()));
  }
}

}  // namespace hainfra::providers
