#include "providers/kinds/vm_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <set>

#include "engine/plan/size.h"
#include "providers/kinds/vm_text.h"
#include "providers/pve/guest_conf.h"
#include "providers/pve/property_string.h"
#include "providers/pve/text.h"

namespace hainfra::providers::vm {
namespace {

using text::kNetModels;
using pve::Lower;
using text::Split;
using text::Truthy;
using text::Upper;
using text::UrlDecode;
using text::FormatNumber;

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool SlotOf(std::string_view key, std::string_view prefix) {
  if (!StartsWith(key, prefix) || key.size() == prefix.size()) return false;
  return std::all_of(key.begin() + static_cast<std::ptrdiff_t>(prefix.size()), key.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::optional<int64_t> ToInt(std::string_view text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::optional<double> ToNumber(std::string_view text) {
  double n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

Result<int64_t> IntOf(const std::string& key, std::string_view text) {
  auto n = ToInt(text);
  if (!n) return Fail(Code::kInternal, "guest config key `" + key + "`: not an integer: '" + std::string(text) + "'");
  return *n;
}

// Proxmox booleans: 0/1 (also on/off, yes/no, true/false in property strings).

// Sizes are kept as Proxmox writes them ("32G"); the diff compares bytes.
Result<Value> ParseDisk(const std::string& slot, const std::string& text) {
  auto ps = pve::ParsePropertyString(text, "file");
  if (!ps) return Fail(Code::kInternal, "guest config key `" + slot + "`: " + ps.error().message);
  Value disk = Value::object();
  disk["slot"] = slot;
  const std::string* file = ps->Find("file");
  if (file == nullptr) file = ps->Find("volume");
  const std::string volume = file != nullptr ? *file : "";
  const size_t colon = volume.find(':');
  disk["storage"] = colon == std::string::npos ? std::string() : volume.substr(0, colon);
  disk["size"] = ps->Find("size") != nullptr ? Value(*ps->Find("size")) : Value(0);
  for (const char* key : {"format", "cache", "serial"}) {
    if (const std::string* v = ps->Find(key)) disk[key] = *v;
  }
  // On file storages (dir, NFS, CIFS) the format is the volume's file extension, not a key of the line:
  // `astro-nfs:100/vm-100-disk-0.qcow2`.
  if (!disk.contains("format")) {
    for (const char* ext : {"qcow2", "raw", "vmdk"}) {
      if (volume.ends_with(std::string(".") + ext)) disk["format"] = ext;
    }
  }
  if (!disk.contains("cache")) disk["cache"] = "none";  // qemu-server's default cache mode
  const std::string* discard = ps->Find("discard");
  disk["discard"] = discard != nullptr && *discard == "on";
  for (const char* key : {"ssd", "iothread"}) {
    const std::string* v = ps->Find(key);
    disk[key] = v != nullptr && Truthy(*v);
  }
  for (const char* key : {"backup", "replicate"}) {  // default on
    const std::string* v = ps->Find(key);
    disk[key] = v == nullptr || Truthy(*v);
  }
  return disk;
}

Result<Value> ParseNet(const std::string& slot, const std::string& text) {
  auto ps = pve::ParsePropertyString(text, "model");
  if (!ps) return Fail(Code::kInternal, "guest config key `" + slot + "`: " + ps.error().message);
  Value net = Value::object();
  net["slot"] = slot;
  for (const auto& [key, value] : ps->entries) {
    if (kNetModels.contains(key)) {
      net["model"] = key;
      if (!value.empty()) net["macaddr"] = Upper(value);
    } else if (key == "model") {
      net["model"] = value;
    } else if (key == "macaddr") {
      net["macaddr"] = Upper(value);
    } else if (key == "bridge") {
      net["bridge"] = value;
    } else if (key == "tag" || key == "mtu" || key == "queues") {
      auto n = ToInt(value);
      if (!n) return Fail(Code::kInternal, "guest config key `" + slot + "`: " + key + " is not an integer");
      net[key] = *n;
    } else if (key == "rate") {
      auto n = ToNumber(value);
      if (!n) return Fail(Code::kInternal, "guest config key `" + slot + "`: rate is not a number");
      net["rate"] = *n;
    } else if (key == "trunks") {
      net["trunks"] = Split(value, ";");
    } else if (key == "firewall" || key == "link_down") {
      net[key] = Truthy(value);
    }
  }
  if (!net.contains("firewall")) net["firewall"] = false;
  if (!net.contains("link_down")) net["link_down"] = false;
  return net;
}

Result<Value> ParseIpConfig(const std::string& slot, const std::string& text) {
  auto ps = pve::ParsePropertyString(text);
  if (!ps) return Fail(Code::kInternal, "guest config key `" + slot + "`: " + ps.error().message);
  Value entry = Value::object();
  entry["slot"] = slot;
  const std::pair<const char*, const char*> keys[] = {{"ip", "ip"}, {"gw", "gateway"}, {"ip6", "ip6"}, {"gw6", "gateway6"}};
  for (const auto& [pve_key, spec_key] : keys) {
    if (const std::string* v = ps->Find(pve_key)) entry[spec_key] = *v;
  }
  return entry;
}

// `mapping=gpu-a100,pcie=1` (or a raw `host=0000:01:00`, kept as `host`: the spec names mappings only).
Result<Value> ParsePassthrough(const std::string& slot, const std::string& text, bool pci) {
  auto ps = pve::ParsePropertyString(text, "host");
  if (!ps) return Fail(Code::kInternal, "guest config key `" + slot + "`: " + ps.error().message);
  Value entry = Value::object();
  entry["slot"] = slot;
  if (const std::string* m = ps->Find("mapping")) entry["mapping"] = *m;
  if (const std::string* h = ps->Find("host")) entry["host"] = *h;
  if (pci) {
    const std::string* pcie = ps->Find("pcie");
    entry["pcie"] = pcie != nullptr && Truthy(*pcie);
    const std::string* rombar = ps->Find("rombar");
    entry["rombar"] = rombar == nullptr || Truthy(*rombar);
    const std::string* x_vga = ps->Find("x-vga");
    entry["x_vga"] = x_vga != nullptr && Truthy(*x_vga);
  } else {
    const std::string* usb3 = ps->Find("usb3");
    entry["usb3"] = usb3 != nullptr && Truthy(*usb3);
  }
  return entry;
}

Value SortedBySlot(Value list) {
  // Slots sort by bus, then index as a number (scsi2 before scsi10).
  auto key = [](const Value& v) {
    const std::string slot = v.value("slot", "");
    size_t digits = slot.find_first_of("0123456789");
    const std::string bus = slot.substr(0, digits);
    const int index = digits == std::string::npos ? 0 : std::stoi(slot.substr(digits));
    return std::make_pair(bus, index);
  };
  std::sort(list.begin(), list.end(), [&](const Value& a, const Value& b) { return key(a) < key(b); });
  return list;
}

}  // namespace

std::string ConfigText(const Value& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
  if (value.is_number_integer() || value.is_number_unsigned()) return std::to_string(value.get<int64_t>());
  if (value.is_number()) return FormatNumber(value.get<double>());
  return value.is_null() ? "" : value.dump();
}

bool IsDiskSlot(std::string_view key) {
  return SlotOf(key, "scsi") || SlotOf(key, "virtio") || SlotOf(key, "sata") || SlotOf(key, "ide");
}

bool IsCdrom(std::string_view drive) {
  auto ps = pve::ParsePropertyString(drive, "file");
  if (!ps) return false;
  const std::string* media = ps->Find("media");
  return media != nullptr && *media == "cdrom";
}

std::vector<std::string> SplitTags(std::string_view text) {
  std::vector<std::string> tags;
  for (std::string& t : Split(text, ";, ")) tags.push_back(Lower(t));
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

bool HasOwnerTag(std::string_view text) {
  auto tags = SplitTags(text);
  return std::find(tags.begin(), tags.end(), std::string(kOwnerTag)) != tags.end();
}

Result<Value> ParseConfText(std::string_view text) {
  return pve::GuestConfigAnswer(pve::ParseGuestConf(text, pve::GuestType::kQemu), pve::GuestType::kQemu,
                                /*current=*/true);
}

Result<Value> ConfigToBody(const Value& config) {
  if (!config.is_object()) return Fail(Code::kInternal, "guest config is not an object");
  Value body = Value::object();
  Value disks = Value::array(), nets = Value::array(), ips = Value::array(), pcis = Value::array(), usbs = Value::array();
  Value cloud = Value::object(), cdrom = Value::object();
  std::set<std::string> cloud_drives;  // the cloud-init drive's slot: the spec's boot order does not name it
  for (auto it = config.begin(); it != config.end(); ++it) {
    const std::string& key = it.key();
    const std::string text = ConfigText(it.value());
    if (key == "cores" || key == "sockets" || key == "vcpus" || key == "balloon") {
      auto n = IntOf(key, text);
      if (!n) return Fail(n.error());
      body[key] = *n;
    } else if (key == "memory") {
      auto ps = pve::ParsePropertyString(text, "current");
      if (!ps || ps->Find("current") == nullptr) return Fail(Code::kInternal, "guest config key `memory`: '" + text + "'");
      auto n = IntOf(key, *ps->Find("current"));
      if (!n) return Fail(n.error());
      body["memory"] = *n;
    } else if (key == "cpu" || key == "machine") {
      auto ps = pve::ParsePropertyString(text, key == "cpu" ? "cputype" : "type");
      const std::string* type = ps ? ps->Find(key == "cpu" ? "cputype" : "type") : nullptr;
      if (type != nullptr) body[key] = *type;
    } else if (key == "numa" || key == "onboot" || key == "protection") {
      body[key] = Truthy(text);
    } else if (key == "agent") {
      auto ps = pve::ParsePropertyString(text, "enabled");
      const std::string* enabled = ps ? ps->Find("enabled") : nullptr;
      body["agent"] = enabled != nullptr && Truthy(*enabled);
    } else if (key == "name" || key == "bios" || key == "ostype" || key == "scsihw" || key == "description") {
      body[key] = text;
    } else if (key == "tags") {
      Value tags = Value::array();
      for (const std::string& t : SplitTags(text)) {
        if (t != kOwnerTag) tags.push_back(t);
      }
      body["tags"] = tags;
    } else if (key == "boot") {
      auto ps = pve::ParsePropertyString(text, "legacy");
      if (ps && ps->Find("order") != nullptr) body["boot"] = Split(*ps->Find("order"), ";,");
    } else if (key == "startup") {
      auto ps = pve::ParsePropertyString(text, "order");
      if (!ps) return Fail(Code::kInternal, "guest config key `startup`: " + ps.error().message);
      Value startup = Value::object();
      for (const char* k : {"order", "up", "down"}) {
        if (const std::string* v = ps->Find(k)) {
          auto n = IntOf("startup", *v);
          if (!n) return Fail(n.error());
          startup[k] = *n;
        }
      }
      body["startup"] = startup;
    } else if (key == "efidisk0") {
      auto ps = pve::ParsePropertyString(text, "file");
      if (!ps) return Fail(Code::kInternal, "guest config key `efidisk0`: " + ps.error().message);
      const std::string* file = ps->Find("file");
      const std::string volume = file != nullptr ? *file : "";
      Value efi = Value::object();
      efi["storage"] = volume.substr(0, volume.find(':'));
      const std::string* type = ps->Find("efitype");
      efi["efitype"] = type != nullptr ? *type : "2m";
      const std::string* keys = ps->Find("pre-enrolled-keys");
      efi["pre_enrolled_keys"] = keys != nullptr && Truthy(*keys);
      body["efi_disk"] = efi;
    } else if (key == "tpmstate0") {
      auto ps = pve::ParsePropertyString(text, "file");
      if (!ps) return Fail(Code::kInternal, "guest config key `tpmstate0`: " + ps.error().message);
      const std::string* file = ps->Find("file");
      const std::string volume = file != nullptr ? *file : "";
      const std::string* version = ps->Find("version");
      body["tpm_state"] = {{"storage", volume.substr(0, volume.find(':'))}, {"version", version != nullptr ? *version : "v1.2"}};
    } else if (key == "vga") {
      auto ps = pve::ParsePropertyString(text, "type");
      if (!ps) return Fail(Code::kInternal, "guest config key `vga`: " + ps.error().message);
      Value vga = {{"type", ps->Find("type") != nullptr ? *ps->Find("type") : "std"}};
      if (const std::string* m = ps->Find("memory")) {
        auto n = IntOf("vga", *m);
        if (!n) return Fail(n.error());
        vga["memory"] = *n;
      }
      body["vga"] = vga;
    } else if (key == "serial0") {
      body["serial0"] = text;
    } else if (key == "template") {
      body["template"] = Truthy(text);
    } else if (SlotOf(key, "hostpci") || SlotOf(key, "usb")) {
      const bool pci = SlotOf(key, "hostpci");
      auto entry = ParsePassthrough(key, text, pci);
      if (!entry) return Fail(entry.error());
      (pci ? pcis : usbs).push_back(*entry);
    } else if (IsDiskSlot(key)) {
      if (IsCdrom(text)) {
        if (text.find("cloudinit") != std::string::npos) {
          cloud_drives.insert(key);
          cloud["storage"] = text.substr(0, text.find(':'));
        } else {
          auto ps = pve::ParsePropertyString(text, "file");
          const std::string* file = ps ? ps->Find("file") : nullptr;
          cdrom[key] = file != nullptr ? *file : "none";
        }
        continue;
      }
      auto disk = ParseDisk(key, text);
      if (!disk) return Fail(disk.error());
      disks.push_back(*disk);
    } else if (SlotOf(key, "net")) {
      auto net = ParseNet(key, text);
      if (!net) return Fail(net.error());
      nets.push_back(*net);
    } else if (SlotOf(key, "ipconfig")) {
      auto ip = ParseIpConfig(key, text);
      if (!ip) return Fail(ip.error());
      ips.push_back(*ip);
    } else if (key == "ciuser") {
      cloud["user"] = text;
    } else if (key == "sshkeys") {
      cloud["ssh_keys"] = Split(UrlDecode(text), "\n");
    } else if (key == "nameserver") {
      cloud["nameservers"] = Split(text, " ");
    } else if (key == "searchdomain") {
      cloud["search_domain"] = text;
    } else if (key == "citype") {
      cloud["type"] = text;
    }
    // cipassword is reported masked (write-only); unusedN, smbios1, vmgenid, meta, digest ... are not managed.
  }
  // Proxmox's defaults for keys it leaves out (qemu-server's schema defaults).
  const std::pair<const char*, Value> defaults[] = {
      {"cores", 1},      {"sockets", 1},     {"memory", 512},       {"numa", false},   {"onboot", false},
      {"protection", false}, {"agent", false}, {"bios", "seabios"}, {"ostype", "other"}, {"scsihw", "lsi"},
      {"tags", Value::array()}, {"description", ""}, {"template", false}, {"vga", Value{{"type", "std"}}}};
  for (const auto& [key, value] : defaults) {
    if (!body.contains(key)) body[key] = value;
  }
  body["disks"] = SortedBySlot(std::move(disks));
  body["nets"] = SortedBySlot(std::move(nets));
  body["hostpci"] = SortedBySlot(std::move(pcis));
  body["usb"] = SortedBySlot(std::move(usbs));
  body["cdrom"] = cdrom;
  // Proxmox puts the cloud-init drive in the default boot order; the spec's boot order names disks, CD-ROMs
  // and NICs, so that entry is not part of what it compares or exports. A device the order still names after
  // it was removed (qemu-server keeps the order as written and skips such entries at boot) is left out too:
  // it is no part of the guest, and a spec naming it would be refused.
  if (body.contains("boot")) {
    Value order = Value::array();
    for (const Value& device : body["boot"]) {
      if (!device.is_string()) continue;
      const std::string& name = device.get_ref<const std::string&>();
      if (!cloud_drives.contains(name) && config.contains(name)) order.push_back(device);
    }
    body["boot"] = order;
  }
  if (!ips.empty()) cloud["ip"] = SortedBySlot(std::move(ips));
  if (!cloud.empty()) body["cloud_init"] = cloud;
  return body;
}

}  // namespace hainfra::providers::vm
