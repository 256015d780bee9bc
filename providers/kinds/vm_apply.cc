// The VM kind's verbs: create (one POST with the whole config, then start), update in place (config with the
// digest, resizes, migration, run state) and delete (stop, destroy). Each is safe to re-run after a crash:
// it re-reads what it needs and skips what is already done.
#include <algorithm>
#include <chrono>
#include <thread>

#include "engine/plan/field_diff.h"
#include "engine/plan/size.h"
#include "engine/spec/secrets.h"
#include "providers/kinds/guest_update.h"
#include "providers/kinds/vm.h"
#include "providers/kinds/vm_config.h"
#include "providers/kinds/vm_format.h"
#include "providers/kinds/vm_params.h"
#include "providers/transport/api_error.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

using transport::ApiPath;

constexpr std::chrono::minutes kVmTaskTimeout{30};
constexpr std::chrono::minutes kHaMoveTimeout{10};

bool Contains(const std::string& text, std::string_view needle) { return text.find(needle) != std::string::npos; }

std::string VmidOf(const Change& change) { return change.address.name; }

// The digest check failed: someone changed the guest since it was read.
bool IsDigestMismatch(const Error& error) {
  return Contains(error.message, "detected modified configuration") || Contains(error.message, "checksum mismatch");
}

Result<std::string> CloudPassword(const Value& desired) {
  const Value* ci = desired.contains("cloud_init") ? &desired["cloud_init"] : nullptr;
  if (ci == nullptr || !ci->contains("password") || !(*ci)["password"].is_string()) return std::string();
  return spec::ResolveSecret((*ci)["password"].get<std::string>());
}

}  // namespace

Status VmKind::WaitIfTask(const Result<Value>& answer, const std::string& what) {
  if (!answer) return Fail(WithContext(answer.error(), what));
  if (!answer->is_string() || !answer->get<std::string>().starts_with("UPID:")) return Ok();
  auto task = deps_.api->WaitTask(answer->get<std::string>(), kVmTaskTimeout);
  if (!task) return Fail(WithContext(task.error(), what));
  return Ok();
}

Status VmKind::SetRunState(const std::string& node, const std::string& vmid, const std::string& want,
                           const Value& desired) {
  auto status = deps_.api->Get(ApiPath({"nodes", node, "qemu", vmid, "status", "current"}));
  if (!status) return Fail(WithContext(status.error(), "vm/" + vmid + ": reading its run state"));
  const bool running = status->value("status", "") == "running";
  if (want == "running" && !running) {
    return WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "qemu", vmid, "status", "start"})),
                      "vm/" + vmid + ": starting it");
  }
  if (want == "stopped" && running) {
    Value params = {{"timeout", desired.value("shutdown_timeout", 180)}};
    if (desired.value("force_stop", false)) params["forceStop"] = 1;
    return WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "qemu", vmid, "status", "shutdown"}), params),
                      "vm/" + vmid + ": shutting it down");
  }
  return Ok();
}

Status VmKind::Migrate(const Change& change, const std::string& from, const std::string& to) {
  const std::string vmid = VmidOf(change);
  const std::string what = "vm/" + vmid + ": migrating it from " + from + " to " + to;
  if (!change.before.value("hastate", "").empty()) {
    // HA owns placement: ask the CRM, then wait until the guest is on the target.
    auto asked = deps_.api->Post(ApiPath({"cluster", "ha", "resources", "vm:" + vmid, "migrate"}), {{"node", to}});
    if (!asked) return Fail(WithContext(asked.error(), what + " through HA"));
    const auto deadline = deps_.api->Now() + kHaMoveTimeout;
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
  auto pre = deps_.api->Get(ApiPath({"nodes", from, "qemu", vmid, "migrate"}), {{"target", to}});
  if (!pre) return Fail(WithContext(pre.error(), what));
  Value params = {{"target", to}};
  if (pre->contains("running") && vm::ConfigText((*pre)["running"]) == "1") params["online"] = 1;
  if (pre->contains("local_disks") && (*pre)["local_disks"].is_array() && !(*pre)["local_disks"].empty()) {
    params["with-local-disks"] = 1;
  }
  return WaitIfTask(deps_.api->Post(ApiPath({"nodes", from, "qemu", vmid, "migrate"}), params), what);
}

Status VmKind::RebootIfAllowed(const Change& change, const std::string& node) {
  const Value& want = change.after;
  const bool waiting = std::any_of(change.fields.begin(), change.fields.end(), [](const FieldChange& f) { return f.reboot; });
  if (!waiting || want.value("reboot", "never") != "allowed" || want.value("state", "") == "stopped") return Ok();
  const std::string vmid = VmidOf(change);
  auto status = deps_.api->Get(ApiPath({"nodes", node, "qemu", vmid, "status", "current"}));
  if (!status) return Fail(WithContext(status.error(), "vm/" + vmid + ": reading its run state"));
  if (status->value("status", "") != "running") return Ok();  // picks the changes up when it starts
  // qemu-server's reboot is a clean shutdown and a start, which applies the pending changes.
  return WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "qemu", vmid, "status", "reboot"}),
                                    {{"timeout", want.value("shutdown_timeout", 180)}}),
                    "vm/" + vmid + ": restarting it to apply reboot-only changes (reboot: allowed)");
}

Status VmKind::ConvertToTemplate(const std::string& node, const std::string& vmid, const Value& desired) {
  if (Status s = SetRunState(node, vmid, "stopped", desired); !s) return s;
  return WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "qemu", vmid, "template"})),
                    "vm/" + vmid + ": converting it to a template");
}

Status VmKind::GrowImportedDisks(const Value& want, const std::string& node, const std::string& vmid) {
  bool imported = false;
  for (const Value& d : want.value("disks", Value::array())) imported = imported || d.contains("import_from");
  if (!imported) return Ok();
  auto config = ReadConfig(node, vmid);
  if (!config) return Fail(config.error());
  auto body = vm::ConfigToBody(*config);
  if (!body) return Fail(WithContext(body.error(), "vm/" + vmid));
  for (const Value& d : want.value("disks", Value::array())) {
    if (!d.contains("import_from")) continue;
    const std::string slot = d.value("slot", "");
    for (const Value& now : (*body)["disks"]) {
      if (now.value("slot", "") != slot) continue;
      auto have = plan::ParseSize(now["size"]), wanted = plan::ParseSize(d.value("size", Value(0)));
      if (!have || !wanted || *wanted <= *have) continue;  // a smaller size shows as a refused shrink in the next plan
      auto target = vm::ResizeTarget(d["size"]);
      if (!target) continue;
      Status grown = WaitIfTask(deps_.api->Put(ApiPath({"nodes", node, "qemu", vmid, "resize"}), {{"disk", slot}, {"size", *target}}),
                                "vm/" + vmid + ": growing the imported " + slot + " to " + *target);
      if (!grown) return grown;
    }
  }
  return Ok();
}

Status VmKind::CreateByClone(const Change& change) {
  const Value& want = change.after;
  const std::string vmid = VmidOf(change);
  const std::string node = want.value("node", "");
  const Value& clone = want["clone"];
  const std::string from = vm::ConfigText(clone.value("from", Value("")));
  auto list = deps_.api->Get("/cluster/resources", Value{{"type", "vm"}});
  if (!list) return Fail(WithContext(list.error(), "vm/" + vmid + ": finding the clone source " + from));
  std::vector<const Value*> matches;
  for (const Value& e : *list) {
    if (e.value("type", "") != "qemu") continue;
    if (IsVmid(from) ? vm::ConfigText(e.value("vmid", Value())) == from : e.value("name", "") == from) matches.push_back(&e);
  }
  if (matches.empty()) return Fail(Code::kNotFound, "vm/" + vmid + ": the clone source " + from + " does not exist");
  if (matches.size() > 1) {
    return Fail(Code::kFailedPrecondition, "vm/" + vmid + ": more than one VM is named " + from + "; name the clone source by its VMID");
  }
  const std::string source = vm::ConfigText((*matches.front())["vmid"]);
  const std::string source_node = matches.front()->value("node", "");
  Value params = {{"newid", std::stoll(vmid)}};
  if (want.contains("name")) params["name"] = want["name"];
  if (clone.contains("full")) params["full"] = clone["full"].get<bool>() ? 1 : 0;
  if (clone.contains("storage") && clone.value("full", true)) params["storage"] = clone["storage"];
  if (node != source_node) params["target"] = node;
  Status cloned = WaitIfTask(deps_.api->Post(ApiPath({"nodes", source_node, "qemu", source, "clone"}), params),
                             "vm/" + vmid + ": cloning it from " + from);
  if (!cloned) return cloned;

  // The copy carries the source's config: write the spec's over it, as an update would.
  auto config = ReadConfig(node, vmid);
  if (!config) return Fail(config.error());
  auto now = vm::ConfigToBody(*config);
  if (!now) return Fail(WithContext(now.error(), "vm/" + vmid));
  (*now)["vmid"] = want.value("vmid", Value(0));
  (*now)["node"] = node;
  Normalize(*now);
  std::vector<FieldChange> fields;
  plan::DiffFields(traits_.body, want, *now, false, fields);
  std::erase_if(fields, [](const FieldChange& f) {
    const std::string top = vm::TopKey(f.path);
    return top == "state" || top == "node" || top == "template";
  });
  auto password = CloudPassword(want);
  if (!password) return Fail(WithContext(password.error(), "vm/" + vmid + ": cloud_init.password"));
  auto work = vm::UpdateWork(want, fields, *config, *password);
  if (!work) return Fail(WithContext(work.error(), "vm/" + vmid));
  Value update = work->params;
  update["tags"] = vm::TagsParam(want.value("tags", Value::array()));  // the owner tag, whatever the source had
  update["digest"] = config->value("digest", "");
  if (!work->deletes.empty()) {
    std::string deletes;
    for (const std::string& key : work->deletes) deletes += (deletes.empty() ? "" : ",") + key;
    update["delete"] = deletes;
  }
  Status written = WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "qemu", vmid, "config"}), update),
                              "vm/" + vmid + ": writing the spec's config over the clone");
  if (!written) return written;
  for (const vm::Resize& r : work->resizes) {
    Status grown = WaitIfTask(deps_.api->Put(ApiPath({"nodes", node, "qemu", vmid, "resize"}), {{"disk", r.slot}, {"size", r.size}}),
                              "vm/" + vmid + ": growing " + r.slot + " to " + r.size);
    if (!grown) return grown;
  }
  if (want.value("template", false)) return ConvertToTemplate(node, vmid, want);
  if (want.value("state", "") == "running") return SetRunState(node, vmid, "running", want);
  return Ok();
}

Status VmKind::DoCreate(const Change& change) {
  const Value& want = change.after;
  const std::string vmid = VmidOf(change);
  const std::string node = want.value("node", "");
  if (want.contains("clone")) return CreateByClone(change);
  const bool as_template = want.value("template", false);
  auto password = CloudPassword(want);
  if (!password) return Fail(WithContext(password.error(), "vm/" + vmid + ": cloud_init.password"));
  auto params = vm::CreateParams(want, *password);
  if (!params) return Fail(WithContext(params.error(), "vm/" + vmid));
  const Value disks = want.value("disks", Value::array());
  const bool imported = std::any_of(disks.begin(), disks.end(), [](const Value& d) { return d.contains("import_from"); });
  if (want.value("state", "") == "running" && !as_template && !imported) (*params)["start"] = 1;
  Status created = WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "qemu"}), *params), "vm/" + vmid + ": creating it");
  if (!created) {
    // The outcome may be unknown (a lost answer): a guest carrying our tag means the create went through.
    auto config = ReadConfig(node, vmid);
    if (!config || !vm::HasOwnerTag(vm::ConfigText(config->value("tags", Value())))) return created;
    if (!config->value("lock", "").empty()) return created;  // still being created: let the retry decide
  }
  if (Status grown = GrowImportedDisks(want, node, vmid); !grown) return grown;
  if (as_template) return ConvertToTemplate(node, vmid, want);
  if (want.value("state", "") == "running") return SetRunState(node, vmid, "running", want);
  return Ok();
}

Status VmKind::DoUpdate(const Change& change) {
  const Value& want = change.after;
  const std::string vmid = VmidOf(change);
  std::string node = change.before.value("node", "");
  auto config = ReadConfig(node, vmid);
  if (!config) return Fail(config.error());
  const std::string digest = config->value("digest", "");

  std::vector<FieldChange> fields = ConfigFields(change.fields);
  if (digest != change.version && !change.version.empty()) {
    // Changed since the plan: go on only if what differs now is what this change itself did.
    auto now = vm::ConfigToBody(*config);
    if (!now) return Fail(now.error());
    if (auto kept = KeepOnlyOwnWork(*this, change, digest, std::move(*now), {"disks"}, fields); !kept) return kept;
  }

  auto password = CloudPassword(want);
  if (!password) return Fail(WithContext(password.error(), "vm/" + vmid + ": cloud_init.password"));
  auto work = vm::UpdateWork(want, fields, *config, *password);
  if (!work) return Fail(WithContext(work.error(), "vm/" + vmid));
  if (!work->Empty()) {
    Value params = work->params;
    if (!digest.empty()) params["digest"] = digest;
    if (!work->deletes.empty()) {
      std::string deletes;
      for (const std::string& key : work->deletes) deletes += (deletes.empty() ? "" : ",") + key;
      params["delete"] = deletes;
    }
    Status done = WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "qemu", vmid, "config"}), params),
                             "vm/" + vmid + ": updating its config");
    if (!done) {
      if (IsDigestMismatch(done.error()) && !transport::AfterLostAnswer(done.error())) {
        return Fail(Code::kFailedPrecondition,
                    "vm/" + vmid + " was changed by someone else while hainfra updated it; run plan again");
      }
      return done;
    }
  }
  for (const vm::Resize& r : work->resizes) {
    Status grown = WaitIfTask(deps_.api->Put(ApiPath({"nodes", node, "qemu", vmid, "resize"}),
                                             {{"disk", r.slot}, {"size", r.size}}),
                              "vm/" + vmid + ": growing " + r.slot + " to " + r.size);
    if (!grown && !Contains(grown.error().message, "shrinking disks is not supported")) return grown;
  }
  for (const FieldChange& f : change.fields) {
    if (f.path == "node" && f.after.is_string() && f.after.get<std::string>() != node) {
      if (Status moved = Migrate(change, node, f.after.get<std::string>()); !moved) return moved;
      node = f.after.get<std::string>();
    }
  }
  for (const FieldChange& f : change.fields) {
    if (f.path == "template" && f.after == Value(true)) {
      if (Status s = ConvertToTemplate(node, vmid, want); !s) return s;
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

Status VmKind::DoDelete(const Change& change) {
  const std::string vmid = VmidOf(change);
  const std::string node = change.before.value("node", "");
  auto status = deps_.api->Get(ApiPath({"nodes", node, "qemu", vmid, "status", "current"}));
  if (!status) {
    if (transport::IsGone(status.error())) return Ok();
    return Fail(WithContext(status.error(), "vm/" + vmid + ": reading its run state"));
  }
  if (status->value("status", "") == "running") {
    Status stopped = WaitIfTask(deps_.api->Post(ApiPath({"nodes", node, "qemu", vmid, "status", "stop"})),
                                "vm/" + vmid + ": stopping it before removal");
    if (!stopped) return stopped;
  }
  return WaitIfTask(deps_.api->Delete(ApiPath({"nodes", node, "qemu", vmid})), "vm/" + vmid + ": destroying it");
}

// Proxmox's answers are JSON of a known shape; a surprise (a number where a string was expected) becomes an
// error naming the guest instead of an exception leaving the module.
template <typename Fn>
auto Guarded(const Change& change, std::string_view verb, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Fail(Code::kInternal, change.address.ToString() + ": " + std::string(verb) + ": unexpected answer: " + e.what());
  }
}

Status VmKind::Create(const Change& change) { return Guarded(change, "create", [&] { return DoCreate(change); }); }
Status VmKind::Update(const Change& change) { return Guarded(change, "update", [&] { return DoUpdate(change); }); }
Status VmKind::Delete(const Change& change) { return Guarded(change, "delete", [&] { return DoDelete(change); }); }

}  // namespace hainfra::providers
