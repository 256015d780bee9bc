#include "providers/kinds/vm.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "engine/plan/size.h"
#include "providers/kinds/image.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/section_objects.h"
#include "providers/kinds/vm_config.h"
#include "providers/pve/text.h"

namespace hainfra::providers {
namespace {

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "disks[scsi0].size" -> ("disks", "scsi0", "size"); entry and leaf empty when absent.
struct FieldPath {
  std::string top, entry, leaf;
};

FieldPath SplitPath(const std::string& path) {
  FieldPath out;
  size_t end = path.find_first_of(".[");
  out.top = path.substr(0, end);
  if (end == std::string::npos) return out;
  if (path[end] == '[') {
    size_t close = path.find(']', end);
    out.entry = path.substr(end + 1, close - end - 1);
    if (close + 1 < path.size() && path[close + 1] == '.') out.leaf = path.substr(close + 2);
  } else {
    out.leaf = path.substr(end + 1);
  }
  return out;
}

bool HaManaged(const Observed& observed) {
  return observed.body.is_object() && !observed.body.value("hastate", "").empty();
}

}  // namespace

bool IsVmid(std::string_view text) {
  return !text.empty() && text.size() <= 9 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

VmKind::VmKind(KindDeps& deps, std::shared_ptr<GuestList> guests)
    : deps_(deps), guests_(guests ? std::move(guests) : std::make_shared<GuestList>(deps.api)) {
  traits_.name = "vm";
  traits_.order = order::kVm;
  traits_.body = SectionBody("vm");
  traits_.prunable = true;  // guests hainfra created carry the `hainfra` tag
}

std::vector<Resource> VmKind::Desired(const Spec& spec) const {
  std::vector<Resource> out = SectionObjects(spec, "vm");
  // A clone source named by its VM name: when the spec declares that VM, the clone waits for it (References).
  std::map<std::string, std::string> vmid_of_name;
  for (const Resource& r : out) {
    if (!r.absent && r.body.contains("name")) vmid_of_name.emplace(vm::ConfigText(r.body["name"]), r.address.name);
  }
  // The images of the spec by the volume ID guests name them with.
  std::map<std::string, std::string> image_of_volume;
  for (const Resource* image : spec.OfKind("image")) image_of_volume.emplace(ImageVolume(image->body), image->address.name);
  for (Resource& r : out) {
    Value refs = Value::array();
    auto note = [&](const Value& volume) {
      auto found = image_of_volume.find(vm::ConfigText(volume));
      if (found != image_of_volume.end()) refs.push_back(found->second);
    };
    for (const Value& d : r.body.value("disks", Value::array())) {
      if (d.is_object() && d.contains("import_from")) note(d["import_from"]);
    }
    if (auto c = r.body.find("cdrom"); c != r.body.end() && c->is_object()) {
      for (auto m = c->begin(); m != c->end(); ++m) note(m.value());
    }
    if (!refs.empty()) r.body["image_refs"] = refs;
    auto it = r.body.find("clone");
    if (it == r.body.end() || !it->is_object() || !it->contains("from")) continue;
    const std::string from = vm::ConfigText((*it)["from"]);
    if (auto named = vmid_of_name.find(from); named != vmid_of_name.end()) (*it)["source_vmid"] = named->second;
    else if (IsVmid(from)) (*it)["source_vmid"] = from;
  }
  return out;
}

void VmKind::Normalize(Value& body) const {
  if (!body.is_object()) return;
  body.erase("ha");  // the HA kind owns ha_resource/vm:<vmid>
  if (body.value("state", "") == "present") body.erase("state");
  if (auto it = body.find("tags"); it != body.end() && it->is_array()) {
    std::set<std::string> tags;
    for (const Value& t : *it) {
      if (t.is_string() && pve::Lower(t.get<std::string>()) != vm::kOwnerTag) tags.insert(pve::Lower(t.get<std::string>()));
    }
    *it = Value(std::vector<std::string>(tags.begin(), tags.end()));
  }
  if (auto it = body.find("memory"); it != body.end() && it->is_string()) {
    const std::string text = it->get<std::string>();
    const std::string digits = StartsWith(text, "current=") ? text.substr(8) : text;
    if (!digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      *it = std::stoll(digits);
    }
  }
  if (auto it = body.find("nets"); it != body.end() && it->is_array()) {
    for (Value& net : *it) {
      if (net.is_object() && net.contains("macaddr") && net["macaddr"].is_string()) {
        net["macaddr"] = Upper(net["macaddr"].get<std::string>());
      }
    }
  }
}

Status VmKind::Review(const Resource& desired, const Observed& observed, Change& change) const {
  if (observed.body.contains("guest_type")) {
    return Fail(Code::kFailedPrecondition, "id " + observed.address.name + " is taken by a " +
                                               vm::ConfigText(observed.body["guest_type"]) + " guest on " +
                                               observed.body.value("node", "") + "; choose another vmid");
  }
  if (observed.body.contains("clone_missing")) {
    FieldChange f;
    f.path = "clone.from";
    f.pointer = "/clone/from";
    f.after = desired.body["clone"]["from"];
    f.refused = "the clone source " + vm::ConfigText(observed.body["clone_missing"]) +
                " is neither in the cluster nor declared in the spec";
    change.fields = {std::move(f)};
    return Ok();
  }
  const bool ha = HaManaged(observed);
  const bool stopped = observed.body.value("state", "") == "stopped";
  const bool pinned = change.after.value("node_pinned", false);
  const bool restart = change.after.value("reboot", "never") == "allowed";
  std::vector<std::string> notes;
  auto note = [&](std::string text) {
    if (std::find(notes.begin(), notes.end(), text) == notes.end()) notes.push_back(std::move(text));
  };
  std::vector<FieldChange> kept;
  for (FieldChange& f : change.fields) {
    const FieldPath p = SplitPath(f.path);
    if (p.top == "state" && ha) {  // HA drives the run state of guests it manages
      note("run state left to HA");
      continue;
    }
    if (p.top == "node" && ha && !pinned) {  // HA placed it; `node` is the initial placement
      note("HA placed it on " + vm::ConfigText(f.before) + ", not moved (node_pinned: false)");
      continue;
    }
    if (p.top == "node" && ha) note("moved through HA");
    if (p.top == "disks" && p.leaf.empty() && f.after.is_null()) {
      note("disk " + p.entry + " is detached and kept as an unused volume, not destroyed");
    }
    if (p.top == "disks" && !f.before.is_null() && !f.after.is_null()) {
      if (p.leaf == "size") {
        auto before = plan::ParseSize(f.before), after = plan::ParseSize(f.after);
        if (before && after && *after < *before) {
          f.refused = "a disk cannot shrink (the cluster has " + vm::ConfigText(f.before) + ", the spec asks for " +
                      vm::ConfigText(f.after) + "): Proxmox only grows disks; keep the size at least " +
                      vm::ConfigText(f.before) + ", or shrink the file systems and move the data by hand";
        }
      } else if (p.leaf == "storage" || p.leaf == "format") {
        f.refused = "hainfra does not move a disk to another " + p.leaf + " (" + vm::ConfigText(f.before) + " -> " +
                    vm::ConfigText(f.after) + "); move it with `qm disk move` and update the spec";
      }
    }
    if (p.top == "efi_disk" && !f.before.is_null() && observed.body.contains("efi_disk")) {
      f.refused = "the EFI vars disk cannot change in place; remove and re-create it by hand";
    }
    if (p.top == "tpm_state" && !f.before.is_null() && observed.body.contains("tpm_state")) {
      f.refused = "the TPM state volume cannot change in place; remove and re-create it by hand";
    }
    if (p.top == "template" && f.before == Value(true) && f.after == Value(false)) {
      f.refused = "Proxmox cannot turn a template back into a VM; clone it instead (clone: {from: \"" +
                  observed.address.name + "\"}) or keep template: true";
    }
    if (p.top == "template" && f.after == Value(true)) note("converted to a template (stopped first if running)");
    // A new or removed IDE/SATA drive waits for a restart; a new medium in an existing drive is hot.
    if (p.top == "cdrom" && (f.before.is_null() || f.after.is_null())) f.reboot = true;
    if (stopped) f.reboot = false;  // a stopped guest picks everything up when it starts
    if (f.reboot) note(restart ? "the guest restarts to apply it (reboot: allowed)" : "pending until the guest restarts (reboot: never)");
    kept.push_back(std::move(f));
  }
  change.fields = std::move(kept);
  for (const std::string& n : notes) change.reason += (change.reason.empty() ? "" : "; ") + n;
  return Ok();
}

StepScope VmKind::Scope(const Value& body) const {
  StepScope scope;
  scope.node = body.value("node", "");
  if (body.contains("vmid")) scope.guest = "vm/" + vm::ConfigText(body["vmid"]);
  return scope;
}

std::vector<Address> VmKind::References(const Value& body) const {
  std::set<Address> refs;
  const std::string node = body.value("node", "");
  if (!node.empty()) refs.insert({"node", node});
  auto storage = [&](const Value& holder) {
    if (holder.is_object() && holder.contains("storage") && holder["storage"].is_string() &&
        !holder["storage"].get<std::string>().empty()) {
      refs.insert({"storage", holder["storage"].get<std::string>()});
    }
  };
  if (auto it = body.find("disks"); it != body.end() && it->is_array()) {
    for (const Value& d : *it) storage(d);
  }
  if (auto it = body.find("efi_disk"); it != body.end()) storage(*it);
  if (auto it = body.find("tpm_state"); it != body.end()) storage(*it);
  // The images of the spec it is made from (a cloud image to import, an ISO in a CD-ROM drive): Desired.
  if (auto it = body.find("image_refs"); it != body.end() && it->is_array()) {
    for (const Value& name : *it) refs.insert({"image", vm::ConfigText(name)});
  }
  // A clone waits for its source when the spec declares it (a template created in the same apply).
  if (auto it = body.find("clone"); it != body.end() && it->is_object() && it->contains("source_vmid")) {
    refs.insert({"vm", vm::ConfigText((*it)["source_vmid"])});
  }
  if (auto it = body.find("cloud_init"); it != body.end()) storage(*it);
  if (auto it = body.find("nets"); it != body.end() && it->is_array()) {
    for (const Value& n : *it) {
      const std::string bridge = n.is_object() ? n.value("bridge", "") : "";
      if (bridge.empty()) continue;
      // Node bridges (vmbrN) belong to the node's network; anything else is an SDN VNet.
      if (StartsWith(bridge, "vmbr")) {
        if (!node.empty()) refs.insert({"network", node});
      } else {
        refs.insert({"vlan", bridge});
      }
    }
  }
  return {refs.begin(), refs.end()};
}

}  // namespace hainfra::providers
