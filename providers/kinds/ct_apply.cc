// The container kind's observation and verbs. Observe: GET /cluster/resources?type=vm once, then one GET
// .../config per declared container (in parallel). Create: one POST with the whole config from the template
// (a vzcreate task), then start. Update: PUT .../config with the digest (synchronous), resizes (tasks),
// migration (restart mode when running; through HA when HA manages it), a restart when `reboot: allowed`,
// the run state. Delete: stop, destroy. Each is safe to re-run after a crash.
#include <algorithm>
#include <chrono>
#include <map>

#include "engine/plan/field_diff.h"
#include "engine/plan/fingerprint.h"
#include "engine/spec/secrets.h"
#include "providers/kinds/guest_update.h"
#include "providers/kinds/ct.h"
#include "providers/kinds/ct_config.h"
#include "providers/kinds/parallel.h"
#include "providers/kinds/vm_config.h"
#include "providers/kinds/vm_params.h"
#include "providers/transport/api_error.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

using transport::ApiPath;

constexpr std::chrono::minutes kCtTaskTimeout{30};
constexpr std::chrono::minutes kCtHaMoveTimeout{10};

bool CtContains(const std::string& text, std::string_view needle) { return text.find(needle) != std::string::npos; }

// The facts the cluster list carries, in the spec's shape (hastate/lock/template never diff: no spec field).
Value CtListFacts(const Value& entry) {
  Value body = Value::object();
  body["vmid"] = entry.value("vmid", 0);
  body["node"] = entry.value("node", "");
  if (entry.contains("name")) body["hostname"] = entry["name"];
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

template <typename Fn>
auto CtGuarded(const Change& change, std::string_view verb, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Fail(Code::kInternal, change.address.ToString() + ": " + std::string(verb) + ": unexpected answer: " + e.what());
  }
}

}  // namespace

Result<Value> CtKind::ReadConfig(const std::string& node, const std::string& vmid) {
  auto config = deps_.api->Get(ApiPath({"nodes", node, "lxc", vmid, "config"}));
  if (!config) return Fail(WithContext(config.error(), "ct/" + vmid + ": reading its config"));
  return config;
}

Result<std::vector<Observed>> CtKind::DoObserve(const std::vector<Resource>& desired) {
  auto snapshot = guests_->ReadWithFiles("ct");
  if (!snapshot) return Fail(WithContext(snapshot.error(), "listing guests"));
  const Value* list = &snapshot->list;
  std::map<std::string, bool> declared;  // vmid -> needs its config (declared and not absent)
  for (const Resource& r : desired) declared[r.address.name] = !r.absent;
  std::vector<Observed> out;
  // A declared vmid that a guest of the other type holds is observed as such: the review refuses it.
  std::map<std::string, Value> guests = GuestsOfType(*list, "lxc", "ct", desired, out);  // vmid -> entry
  std::vector<std::string> to_read;
  for (const auto& [vmid, entry] : guests) {
    auto d = declared.find(vmid);
    if (d != declared.end() && d->second) {
      to_read.push_back(vmid);
      continue;
    }
    const bool owned = vm::HasOwnerTag(entry.value("tags", ""));
    if (d == declared.end() && !owned) continue;
    Observed o;
    o.address = {"ct", vmid};
    o.body = CtListFacts(entry);
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
    std::optional<Value> from_file = snapshot->Config(pve::GuestType::kLxc, entry.value("node", ""), vmid);
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
    auto body = ct::ConfigToBody(**config);
    if (!body) {
      read[i] = Fail(WithContext(body.error(), "ct/" + vmid));
      return;
    }
    Value facts = CtListFacts(entry);
    for (auto it = facts.begin(); it != facts.end(); ++it) {
      if (it.key() != "hostname" && it.key() != "tags") (*body)[it.key()] = it.value();
    }
    read[i] = ObservedGuest("ct", vmid, std::move(*body), **config);
  };
  ForEachParallel(to_read.size(), deps_.api->settings().max_connections, [&](size_t i) {
    try {
      read_one(i);
    } catch (const std::exception& e) {
      read[i] = Fail(Code::kInternal, "ct/" + to_read[i] + ": unexpected config: " + e.what());
    }
  });
  for (size_t i = 0; i < read.size(); ++i) {
    if (gone[i]) continue;
    if (!read[i]) return Fail(read[i].error());
    out.push_back(std::move(*read[i]));
  }
  return out;
}

Result<std::vector<Observed>> CtKind::Observe(const std::vector<Resource>& desired) {
  try {
    return DoObserve(desired);
  } catch (const std::exception& e) {
    return Fail(Code::kInternal, "observing containers: unexpected answer: " + std::string(e.what()));
  }
}

Result<std::vector<Observed>> CtKind::ObserveAll() {
  auto list = guests_->Read("ct");
  if (!list) return Fail(WithContext(list.error(), "listing guests"));
  std::vector<Resource> every;
  if (list->is_array()) {
    for (const Value& entry : *list) {
      if (entry.value("type", "") != "lxc" || !entry.contains("vmid")) continue;
      if (entry.value("template", 0) == 1) continue;  // templates are not guests a spec declares
      Resource r;
      r.address = {"ct", vm::ConfigText(entry["vmid"])};
      r.body = Value{{"vmid", entry["vmid"]}};
      every.push_back(std::move(r));
    }
  }
  return Observe(every);
}

Status CtKind::WaitIfTask(const Result<Value>& answer, const std::string& what) {
  if (!answer) return Fail(WithContext(answer.error(), what));
  if (!answer->is_string() || !answer->get<std::string>().starts_with("UPID:")) return Ok();
  auto task = deps_.api->WaitTask(answer->get<std::string>(), kCtTaskTimeout);
  if (!task) return Fail(WithContext(task.error(), what));
  return Ok();
}

Status CtKind::SetRunState(const std::string& node, const std::string& vmid, const std::string& want,
                           const Value& desired) {
  auto status = deps_.api->Get(ApiPath({"nodes", node, "lxc", vmid, "status", "current"}));
  if (!status) return Fail(WithContext(status.error(), "ct/" + vmid + ": reading its run state"));
  const bool running = status->value("status", "") == "running";
  if (want == "running" && !running) {
    return WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "lxc", vmid, "status", "start"})),
                      "ct/" + vmid + ": starting it");
  }
  if (want == "stopped" && running) {
    return WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "lxc", vmid, "status", "shutdown"}),
                                      {{"timeout", desired.value("shutdown_timeout", 180)}, {"forceStop", 1}}),
                      "ct/" + vmid + ": shutting it down");
  }
  return Ok();
}

Status CtKind::Migrate(const Change& change, const std::string& from, const std::string& to) {
  const std::string vmid = change.address.name;
  const std::string what = "ct/" + vmid + ": migrating it from " + from + " to " + to;
  if (!change.before.value("hastate", "").empty()) {
    // HA owns placement: ask the CRM (it relocates a running container), then wait until it is there.
    auto asked = deps_.api->Post(ApiPath({"cluster", "ha", "resources", "ct:" + vmid, "migrate"}), {{"node", to}});
    if (!asked) return Fail(WithContext(asked.error(), what + " through HA"));
    const auto deadline = deps_.api->Now() + kCtHaMoveTimeout;
    while (deps_.api->Now() < deadline) {
      auto list = deps_.api->Get("/cluster/resources", Value{{"type", "vm"}});
      if (!list) return Fail(WithContext(list.error(), what));
      for (const Value& e : *list) {
        if (vm::ConfigText(e.value("vmid", Value())) == vmid && e.value("node", "") == to && e.value("lock", "").empty()) {
          return Ok();
        }
      }
      deps_.api->Sleep(std::chrono::milliseconds(500));
    }
    return Fail(Code::kDeadlineExceeded, what + " through HA: not on " + to + " after 10 minutes");
  }
  auto status = deps_.api->Get(ApiPath({"nodes", from, "lxc", vmid, "status", "current"}));
  if (!status) return Fail(WithContext(status.error(), what));
  Value params = {{"target", to}};
  if (status->value("status", "") == "running") {
    // Containers cannot live-migrate: restart mode shuts it down, moves it and starts it on the target.
    params["restart"] = 1;
    params["timeout"] = change.after.value("shutdown_timeout", 180);
  }
  return WaitIfTask(deps_.api->Post(ApiPath({"nodes", from, "lxc", vmid, "migrate"}), params), what);
}

Status CtKind::RebootIfAllowed(const Change& change, const std::string& node) {
  const Value& want = change.after;
  const bool waiting = std::any_of(change.fields.begin(), change.fields.end(), [](const FieldChange& f) { return f.reboot; });
  if (!waiting || want.value("reboot", "never") != "allowed" || want.value("state", "") == "stopped") return Ok();
  const std::string vmid = change.address.name;
  auto status = deps_.api->Get(ApiPath({"nodes", node, "lxc", vmid, "status", "current"}));
  if (!status) return Fail(WithContext(status.error(), "ct/" + vmid + ": reading its run state"));
  if (status->value("status", "") != "running") return Ok();
  return WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "lxc", vmid, "status", "reboot"}),
                                    {{"timeout", want.value("shutdown_timeout", 180)}}),
                    "ct/" + vmid + ": restarting it to apply reboot-only changes (reboot: allowed)");
}

Status CtKind::DoCreate(const Change& change) {
  const Value& want = change.after;
  const std::string vmid = change.address.name;
  const std::string node = want.value("node", "");
  std::string password;
  if (want.contains("password") && want["password"].is_string()) {
    auto resolved = spec::ResolveSecret(want["password"].get<std::string>());
    if (!resolved) return Fail(WithContext(resolved.error(), "ct/" + vmid + ": password"));
    password = *resolved;
  }
  auto params = ct::CreateParams(want, password);
  if (!params) return Fail(WithContext(params.error(), "ct/" + vmid));
  Status created = WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "lxc"}), *params), "ct/" + vmid + ": creating it");
  if (!created) {
    // A lost answer: a container carrying our tag and no lock means the create went through.
    auto config = ReadConfig(node, vmid);
    if (!config || !vm::HasOwnerTag(vm::ConfigText(config->value("tags", Value())))) return created;
    if (!config->value("lock", "").empty()) return created;
  }
  if (want.value("state", "") == "running") return SetRunState(node, vmid, "running", want);
  return Ok();
}

Status CtKind::DoUpdate(const Change& change) {
  const Value& want = change.after;
  const std::string vmid = change.address.name;
  std::string node = change.before.value("node", "");
  auto config = ReadConfig(node, vmid);
  if (!config) return Fail(config.error());
  const std::string digest = config->value("digest", "");
  std::vector<FieldChange> fields = ConfigFields(change.fields);
  if (digest != change.version && !change.version.empty()) {
    // Changed since the plan: go on only if what differs now is what this change itself did.
    auto now = ct::ConfigToBody(*config);
    if (!now) return Fail(now.error());
    if (auto kept = KeepOnlyOwnWork(*this, change, digest, std::move(*now), {"rootfs", "mount_points"}, fields); !kept) return kept;
  }
  auto work = ct::UpdateWork(want, fields, *config);
  if (!work) return Fail(WithContext(work.error(), "ct/" + vmid));
  if (!work->Empty()) {
    Value params = work->params;
    if (!digest.empty()) params["digest"] = digest;
    if (!work->deletes.empty()) {
      std::string deletes;
      for (const std::string& key : work->deletes) deletes += (deletes.empty() ? "" : ",") + key;
      params["delete"] = deletes;
    }
    auto done = deps_.api->Put(ApiPath({"nodes", node, "lxc", vmid, "config"}), params);
    if (!done) {
      if (CtContains(done.error().message, "detected modified configuration") && !transport::AfterLostAnswer(done.error())) {
        return Fail(Code::kFailedPrecondition,
                    "ct/" + vmid + " was changed by someone else while hainfra updated it; run plan again");
      }
      return Fail(WithContext(done.error(), "ct/" + vmid + ": updating its config"));
    }
  }
  for (const ct::Resize& r : work->resizes) {
    Status grown = WaitIfTask(deps_.api->Put(ApiPath({"nodes", node, "lxc", vmid, "resize"}),
                                             {{"disk", r.disk}, {"size", r.size}}),
                              "ct/" + vmid + ": growing " + r.disk + " to " + r.size);
    if (!grown && !CtContains(grown.error().message, "unable to shrink disk size")) return grown;
  }
  for (const FieldChange& f : change.fields) {
    if (f.path == "node" && f.after.is_string() && f.after.get<std::string>() != node) {
      if (Status moved = Migrate(change, node, f.after.get<std::string>()); !moved) return moved;
      node = f.after.get<std::string>();
    }
  }
  if (Status s = RebootIfAllowed(change, node); !s) return s;
  for (const FieldChange& f : change.fields) {
    if (f.path == "state" && f.after.is_string()) {
      if (Status s = SetRunState(node, vmid, f.after.get<std::string>(), want); !s) return s;
    }
  }
  return Ok();
}

Status CtKind::DoDelete(const Change& change) {
  const std::string vmid = change.address.name;
  const std::string node = change.before.value("node", "");
  auto status = deps_.api->Get(ApiPath({"nodes", node, "lxc", vmid, "status", "current"}));
  if (!status) {
    if (transport::IsGone(status.error())) return Ok();
    return Fail(WithContext(status.error(), "ct/" + vmid + ": reading its run state"));
  }
  if (status->value("status", "") == "running") {
    Status stopped = WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "lxc", vmid, "status", "stop"})),
                                "ct/" + vmid + ": stopping it before removal");
    if (!stopped) return stopped;
  }
  return WaitIfTask(deps_.api->Delete(ApiPath({"nodes", node, "lxc", vmid})), "ct/" + vmid + ": destroying it");
}

Status CtKind::Create(const Change& change) { return CtGuarded(change, "create", [&] { return DoCreate(change); }); }
Status CtKind::Update(const Change& change) { return CtGuarded(change, "update", [&] { return DoUpdate(change); }); }
Status CtKind::Delete(const Change& change) { return CtGuarded(change, "delete", [&] { return DoDelete(change); }); }

}  // namespace hainfra::providers
