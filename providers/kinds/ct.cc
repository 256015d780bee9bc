#include "providers/kinds/ct.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/plan/size.h"
#include "providers/kinds/image.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/kinds/vm_config.h"
#include "providers/kinds/vm_params.h"
#include "providers/kinds/vm_text.h"
#include "providers/pve/text.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {
namespace {

bool CtHaManaged(const Observed& observed) {
  return observed.body.is_object() && !observed.body.value("hastate", "").empty();
}

std::string Leaf(const std::string& path) {
  const size_t close = path.find("].");
  if (close != std::string::npos) return path.substr(close + 2);
  const size_t dot = path.find('.');
  return dot == std::string::npos ? "" : path.substr(dot + 1);
}

// The desired mount point in slot `slot`, or null.
const Value* CtDesiredMountPoint(const Value& body, const std::string& slot) {
  auto it = body.is_object() ? body.find("mount_points") : body.end();
  if (it == body.end() || !it->is_array()) return nullptr;
  for (const Value& mp : *it) {
    if (mp.is_object() && mp.value("slot", "") == slot) return &mp;
  }
  return nullptr;
}

// What Proxmox keeps in a container's config but refuses to write: a bind mount written with an API token
// ("mount point type bind is only allowed for root@pam"), a new volume without a size. Declaring what exists
// is fine (nothing is written); a plan that would write one is refused here, at the field.
constexpr const char* kCtBindMountByToken =
    "a bind mount is written by root@pam only: Proxmox refuses it to API tokens such as hainfra's (\"mount point "
    "type bind is only allowed for root@pam\"); add or change it with `pct set`, then declare it as it is";

}  // namespace

CtKind::CtKind(KindDeps& deps, std::shared_ptr<GuestList> guests)
    : deps_(deps), guests_(guests ? std::move(guests) : std::make_shared<GuestList>(deps.api)) {
  traits_.name = "ct";
  traits_.order = order::kCt;
  traits_.body = SectionBody("ct");
  traits_.prunable = true;  // containers hainfra created carry the `hainfra` tag
}

std::vector<Resource> CtKind::Desired(const Spec& spec) const {
  std::vector<Resource> out = SectionObjects(spec, "ct");
  // The image of the spec that provides a container's template: the container waits for it (References).
  std::map<std::string, std::string> image_of_volume;
  for (const Resource* image : spec.OfKind("image")) image_of_volume.emplace(ImageVolume(image->body), image->address.name);
  for (Resource& r : out) {
    auto it = r.body.find("ostemplate");
    if (it == r.body.end() || !it->is_string()) continue;
    if (auto found = image_of_volume.find(it->get<std::string>()); found != image_of_volume.end()) {
      r.body["image_refs"] = Value::array({found->second});
    }
  }
  return out;
}

void CtKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  body.erase("ha");  // the HA kind owns ha_resource/ct:<vmid>
  if (body.value("state", "") == "present") body.erase("state");
  if (auto it = body.find("tags"); it != body.end() && it->is_array()) {
    std::set<std::string> tags;
    for (const Value& t : *it) {
      if (t.is_string() && pve::Lower(t.get<std::string>()) != vm::kOwnerTag) tags.insert(pve::Lower(t.get<std::string>()));
    }
    *it = Value(std::vector<std::string>(tags.begin(), tags.end()));
  }
  if (auto it = body.find("nets"); it != body.end() && it->is_array()) {
    for (Value& net : *it) {
      if (net.is_object() && net.contains("hwaddr") && net["hwaddr"].is_string()) {
        net["hwaddr"] = vm::text::Upper(net["hwaddr"].get<std::string>());
      }
    }
  }
  if (auto it = body.find("cpulimit"); it != body.end() && it->is_number()) *it = it->get<double>();
  // Options are a set; Proxmox writes them sorted.
  auto sort_options = [](Value& holder) {
    if (holder.is_object() && holder.contains("options") && holder["options"].is_array()) {
      std::vector<std::string> o;
      for (const Value& v : holder["options"]) o.push_back(vm::ConfigText(v));
      std::sort(o.begin(), o.end());
      holder["options"] = o;
    }
  };
  if (auto it = body.find("rootfs"); it != body.end()) sort_options(*it);
  if (auto it = body.find("mount_points"); it != body.end() && it->is_array()) {
    for (Value& mp : *it) sort_options(mp);
  }
}

Status CtKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  if (observed.body.contains("guest_type")) {
    return Fail(Code::kFailedPrecondition, "id " + observed.address.name + " is taken by a " +
                                               vm::ConfigText(observed.body["guest_type"]) + " guest on " +
                                               observed.body.value("node", "") + "; choose another vmid");
  }
  const bool ha = CtHaManaged(observed);
  const bool stopped = observed.body.value("state", "") == "stopped";
  const bool pinned = change.after.value("node_pinned", false);
  const bool restart = change.after.value("reboot", "never") == "allowed";
  std::vector<std::string> notes;
  auto note = [&](std::string text) {
    if (std::find(notes.begin(), notes.end(), text) == notes.end()) notes.push_back(std::move(text));
  };
  const bool token = deps_.api != nullptr && deps_.api->settings().HasToken();
  if (change.action == Action::kCreate) {
    const Value rootfs = desired.body.value("rootfs", Value());
    if (rootfs.is_object() && !rootfs.contains("size")) {
      return Fail(Code::kInvalidArgument, "a new container needs rootfs.size (Proxmox allocates its root volume)");
    }
    for (const Value& mp : desired.body.value("mount_points", Value::array())) {
      if (token && mp.contains("bind")) return Fail(Code::kPermissionDenied, kCtBindMountByToken);
    }
  }
  std::vector<FieldChange> kept;
  for (FieldChange& f : change.fields) {
    const std::string top = vm::TopKey(f.path);
    const std::string entry = vm::EntryKey(f.path);
    const std::string leaf = Leaf(f.path);
    if (top == "mount_points" && !f.after.is_null()) {
      const Value* want = CtDesiredMountPoint(desired.body, entry);
      if (token && want != nullptr && want->contains("bind")) f.refused = kCtBindMountByToken;
      if (leaf.empty() && f.before.is_null() && want != nullptr && !want->contains("bind") && !want->contains("size")) {
        f.refused = "a new volume mount point needs `size` (Proxmox allocates the volume)";
      }
    }
    if (top == "state" && ha) {
      note("run state left to HA");
      continue;
    }
    if (top == "node" && ha && !pinned) {
      note("HA placed it on " + vm::ConfigText(f.before) + ", not moved (node_pinned: false)");
      continue;
    }
    if (top == "node") note(ha ? "moved through HA" : stopped ? "migrated while stopped" : "migrated in restart mode (stop, move, start)");
    if (top == "unprivileged") {
      f.refused = "a container cannot switch between privileged and unprivileged (Proxmox: \"unable to modify "
                  "read-only option: 'unprivileged'\"); keep " + vm::ConfigText(f.before) +
                  ", or back it up and restore it as a new container";
    }
    if (top == "mount_points" && leaf.empty() && f.after.is_null()) {
      note("mount point " + entry + " is detached and kept as an unused volume, not destroyed");
    }
    const bool volume_entry = top == "rootfs" || top == "mount_points";
    if (volume_entry && !f.before.is_null() && !f.after.is_null()) {
      if (leaf == "size") {
        auto before = plan::ParseSize(f.before), after = plan::ParseSize(f.after);
        if (before && after && *after < *before) {
          f.refused = "a volume cannot shrink (the cluster has " + vm::ConfigText(f.before) + ", the spec asks for " +
                      vm::ConfigText(f.after) + "): Proxmox only grows volumes; keep the size at least " +
                      vm::ConfigText(f.before);
        }
      } else if (leaf == "storage") {
        f.refused = "hainfra does not move a volume to another storage (" + vm::ConfigText(f.before) + " -> " +
                    vm::ConfigText(f.after) + "); move it with `pct move-volume` and update the spec";
      }
    }
    if (volume_entry) {
      // pve-container hot-plugs a new mount point and grows volumes at once; any other change of rootfs or
      // of an existing mount point (its removal included) waits for a restart.
      const bool added = top == "mount_points" && leaf.empty() && f.before.is_null();
      f.reboot = !added && leaf != "size";
    }
    if (stopped) f.reboot = false;  // a stopped container picks everything up when it starts
    if (f.reboot) note(restart ? "the container restarts to apply it (reboot: allowed)" : "pending until the container restarts (reboot: never)");
    kept.push_back(std::move(f));
  }
  change.fields = std::move(kept);
  for (const std::string& n : notes) change.reason += (change.reason.empty() ? "" : "; ") + n;
  return Ok();
}

StepScope CtKind::Scope(const Value& body) const {
  StepScope scope;
  scope.node = body.value("node", "");
  if (body.contains("vmid")) scope.guest = "ct/" + vm::ConfigText(body["vmid"]);
  return scope;
}

std::vector<Address> CtKind::References(const Value& body) const {
  std::set<Address> refs;
  const std::string node = body.value("node", "");
  if (!node.empty()) refs.insert({"node", node});
  auto storage = [&](const Value& holder) {
    if (holder.is_object() && holder.contains("storage") && holder["storage"].is_string() &&
        !holder["storage"].get<std::string>().empty()) {
      refs.insert({"storage", holder["storage"].get<std::string>()});
    }
  };
  if (auto it = body.find("rootfs"); it != body.end()) storage(*it);
  if (auto it = body.find("mount_points"); it != body.end() && it->is_array()) {
    for (const Value& mp : *it) storage(mp);
  }
  if (auto it = body.find("ostemplate"); it != body.end() && it->is_string()) {
    const std::string volid = it->get<std::string>();
    refs.insert({"storage", volid.substr(0, volid.find(':'))});
  }
  if (auto it = body.find("image_refs"); it != body.end() && it->is_array()) {
    for (const Value& name : *it) {
      if (name.is_string()) refs.insert({"image", name.get<std::string>()});
    }
  }
  if (auto it = body.find("nets"); it != body.end() && it->is_array()) {
    for (const Value& n : *it) {
      const std::string bridge = n.is_object() ? n.value("bridge", "") : "";
      if (bridge.empty()) continue;
      if (bridge.rfind("vmbr", 0) == 0) {
        if (!node.empty()) refs.insert({"network", node});
      } else {
        refs.insert({"vlan", bridge});
      }
    }
  }
  return {refs.begin(), refs.end()};
}

}  // namespace hainfra::providers
