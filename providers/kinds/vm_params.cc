#include "providers/kinds/vm_params.h"

#include <algorithm>
#include <map>

#include "engine/plan/size.h"
#include "providers/kinds/vm_config.h"
#include "providers/kinds/vm_format.h"

namespace hainfra::providers::vm {
namespace {

const std::set<std::string> kScalars = {"name",  "cores",   "sockets", "vcpus",  "cpu",    "numa",
                                        "memory", "balloon", "bios",   "machine", "ostype", "scsihw",
                                        "agent", "onboot",  "protection", "description", "serial0"};
const std::set<std::string> kBools = {"numa", "agent", "onboot", "protection"};

Value ScalarParam(const std::string& key, const Value& value) {
  if (kBools.contains(key) && value.is_boolean()) return value.get<bool>() ? 1 : 0;
  return value;
}


// The entry of `body[list]` whose slot is `slot`, or nullptr.
const Value* EntryBySlot(const Value& body, const char* list_key, const std::string& slot) {
  auto it = body.find(list_key);
  if (it == body.end() || !it->is_array()) return nullptr;
  const Value& list = *it;
  for (const Value& e : list) {
    if (e.is_object() && e.value("slot", "") == slot) return &e;
  }
  return nullptr;
}

std::string FreeCdromSlot(const Value& config) {
  for (const char* slot : {"ide2", "ide0", "ide1", "ide3", "sata0", "sata1", "sata2", "sata3", "sata4", "sata5"}) {
    if (!config.contains(slot)) return slot;
  }
  return "";
}

bool HasCloudInitDrive(const Value& config) {
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (IsDiskSlot(it.key()) && ConfigText(it.value()).find("cloudinit") != std::string::npos) return true;
  }
  return false;
}

// Every written cloud-init key; `config` tells which ipconfigN and drive exist already.
Status CloudParams(const Value& ci, const std::string& password, const Value& config, ConfigWork& work) {
  if (ci.contains("user")) work.params["ciuser"] = ci["user"];
  if (!password.empty()) work.params["cipassword"] = password;
  if (ci.contains("ssh_keys")) work.params["sshkeys"] = FormatSshKeys(ci["ssh_keys"]);
  if (ci.contains("ip")) {
    std::set<std::string> written;
    for (const Value& entry : ci["ip"]) {
      const std::string slot = entry.value("slot", "");
      written.insert(slot);
      work.params[slot] = FormatIpConfig(entry);
    }
    for (auto it = config.begin(); it != config.end(); ++it) {
      if (it.key().starts_with("ipconfig") && !written.contains(it.key())) work.deletes.push_back(it.key());
    }
  }
  if (ci.contains("nameservers")) {
    std::string text;
    for (const Value& n : ci["nameservers"]) text += (text.empty() ? "" : " ") + ConfigText(n);
    work.params["nameserver"] = text;
  }
  if (ci.contains("search_domain")) work.params["searchdomain"] = ci["search_domain"];
  if (ci.contains("type")) work.params["citype"] = ci["type"];
  if (ci.contains("storage") && !HasCloudInitDrive(config)) {
    const std::string slot = FreeCdromSlot(config.is_object() ? config : Value::object());
    if (slot.empty()) return Fail(Code::kInvalidArgument, "no free IDE/SATA slot for the cloud-init drive");
    work.params[slot] = ConfigText(ci["storage"]) + ":cloudinit";
  }
  return Ok();
}

}  // namespace

std::string TagsParam(const Value& tags) {
  std::vector<std::string> all{std::string(kOwnerTag)};
  if (tags.is_array()) {
    for (const Value& t : tags) all.push_back(ConfigText(t));
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::string text;
  for (const std::string& t : all) text += (text.empty() ? "" : ";") + t;
  return text;
}

std::string TopKey(const std::string& path) { return path.substr(0, path.find_first_of(".[")); }

std::string EntryKey(const std::string& path) {
  const size_t open = path.find('[');
  if (open == std::string::npos || path.find('.') < open) return "";
  return path.substr(open + 1, path.find(']', open) - open - 1);
}

Result<Value> CreateParams(const Value& desired, const std::string& password) {
  ConfigWork work;
  for (auto it = desired.begin(); it != desired.end(); ++it) {
    if (kScalars.contains(it.key())) work.params[it.key()] = ScalarParam(it.key(), it.value());
  }
  work.params["vmid"] = desired.value("vmid", 0);
  work.params["tags"] = TagsParam(desired.value("tags", Value::array()));
  if (desired.contains("boot")) work.params["boot"] = FormatBoot(desired["boot"]);
  if (desired.contains("startup")) work.params["startup"] = FormatStartup(desired["startup"]);
  for (const Value& disk : desired.value("disks", Value::array())) {
    auto text = FormatDisk(disk, "");
    if (!text) return Fail(text.error());
    work.params[disk.value("slot", "")] = *text;
  }
  for (const Value& net : desired.value("nets", Value::array())) {
    auto text = FormatNet(net, "");
    if (!text) return Fail(text.error());
    work.params[net.value("slot", "")] = *text;
  }
  if (desired.contains("efi_disk")) work.params["efidisk0"] = FormatEfiDisk(desired["efi_disk"]);
  if (desired.contains("tpm_state")) work.params["tpmstate0"] = FormatTpmState(desired["tpm_state"]);
  if (desired.contains("vga")) work.params["vga"] = FormatVga(desired["vga"]);
  if (desired.contains("cdrom")) {
    for (auto it = desired["cdrom"].begin(); it != desired["cdrom"].end(); ++it) work.params[it.key()] = FormatCdrom(it.value());
  }
  for (const char* list : {"hostpci", "usb"}) {
    for (const Value& entry : desired.value(list, Value::array())) {
      work.params[entry.value("slot", "")] = FormatPassthrough(entry, std::string(list) == "hostpci");
    }
  }
  if (desired.contains("cloud_init")) {
    if (Status s = CloudParams(desired["cloud_init"], password, work.params, work); !s) return Fail(s.error());
  }
  return work.params;
}

Result<ConfigWork> UpdateWork(const Value& desired, const std::vector<FieldChange>& fields, const Value& config,
                              const std::string& password) {
  ConfigWork work;
  std::map<std::string, std::set<std::string>> entries;  // disks/nets -> slots whose fields differ
  std::map<std::string, std::set<std::string>> leaves;   // "disks/scsi0" -> differing leaves
  std::set<std::string> tops;
  for (const FieldChange& f : fields) {
    const std::string top = TopKey(f.path);
    tops.insert(top);
    const std::string entry = EntryKey(f.path);
    if (!entry.empty()) {
      entries[top].insert(entry);
      const size_t dot = f.path.find("].");
      leaves[top + "/" + entry].insert(dot == std::string::npos ? "" : f.path.substr(dot + 2));
    }
  }
  for (const std::string& top : tops) {
    if (kScalars.contains(top)) {
      work.params[top] = ScalarParam(top, desired.value(top, Value()));
    } else if (top == "tags") {
      work.params["tags"] = TagsParam(desired.value("tags", Value::array()));
    } else if (top == "boot") {
      work.params["boot"] = FormatBoot(desired["boot"]);
    } else if (top == "startup") {
      work.params["startup"] = FormatStartup(desired["startup"]);
    } else if (top == "efi_disk") {
      if (!config.contains("efidisk0")) work.params["efidisk0"] = FormatEfiDisk(desired["efi_disk"]);
    } else if (top == "tpm_state") {
      if (!config.contains("tpmstate0")) work.params["tpmstate0"] = FormatTpmState(desired["tpm_state"]);
    } else if (top == "vga") {
      work.params["vga"] = FormatVga(desired["vga"]);
    } else if (top == "cloud_init") {
      if (Status s = CloudParams(desired["cloud_init"], password, config, work); !s) return Fail(s.error());
    }
  }
  for (const std::string& slot : entries["disks"]) {
    const Value* want = EntryBySlot(desired, "disks", slot);
    if (want == nullptr) {
      work.deletes.push_back(slot);  // detached: qemu-server keeps the volume as unusedN
      continue;
    }
    const std::string base = config.contains(slot) ? ConfigText(config[slot]) : "";
    const std::set<std::string>& changed = leaves["disks/" + slot];
    if (!base.empty() && changed.contains("size")) {
      auto target = ResizeTarget((*want)["size"]);
      if (!target) return Fail(Code::kInvalidArgument, "disks[" + slot + "].size: not a size");
      work.resizes.push_back({slot, *target});
    }
    if (base.empty() || std::any_of(changed.begin(), changed.end(), [](const std::string& l) { return l != "size"; })) {
      auto text = FormatDisk(*want, base);
      if (!text) return Fail(text.error());
      work.params[slot] = *text;
    }
  }
  for (const std::string& slot : entries["cdrom"]) {
    const Value* medium = desired.contains("cdrom") && desired["cdrom"].contains(slot) ? &desired["cdrom"][slot] : nullptr;
    if (medium == nullptr) {
      work.deletes.push_back(slot);  // the drive goes (an ISO file itself stays on its storage)
    } else {
      work.params[slot] = FormatCdrom(*medium);
    }
  }
  for (const char* list : {"hostpci", "usb"}) {
    for (const std::string& slot : entries[list]) {
      const Value* want = EntryBySlot(desired, list, slot);
      if (want == nullptr) {
        work.deletes.push_back(slot);
      } else {
        work.params[slot] = FormatPassthrough(*want, std::string(list) == "hostpci");
      }
    }
  }
  for (const std::string& slot : entries["nets"]) {
    const Value* want = EntryBySlot(desired, "nets", slot);
    if (want == nullptr) {
      work.deletes.push_back(slot);
      continue;
    }
    auto text = FormatNet(*want, config.contains(slot) ? ConfigText(config[slot]) : "");
    if (!text) return Fail(text.error());
    work.params[slot] = *text;
  }
  return work;
}

}  // namespace hainfra::providers::vm
