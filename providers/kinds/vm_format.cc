#include "providers/kinds/vm_format.h"

#include "engine/plan/size.h"
#include "providers/kinds/vm_config.h"
#include "providers/kinds/vm_text.h"
#include "providers/pve/property_string.h"

namespace hainfra::providers::vm {
namespace {

using text::FormatNumber;
using text::kNetModels;
using text::Truthy;
using text::UrlEncode;

constexpr int64_t kMiB = 1024 * 1024;
constexpr int64_t kGiB = 1024 * kMiB;

std::string BoolText(const Value& v) {
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  return Truthy(ConfigText(v)) ? "1" : "0";
}

}  // namespace

std::string NewVolumeSize(const Value& size) {
  auto bytes = plan::ParseSize(size);
  if (!bytes) return ConfigText(size);
  if (*bytes % kGiB == 0) return std::to_string(*bytes / kGiB);
  return FormatNumber(static_cast<double>(*bytes) / static_cast<double>(kGiB));
}

std::optional<std::string> ResizeTarget(const Value& size) {
  auto bytes = plan::ParseSize(size);
  if (!bytes) return std::nullopt;
  if (*bytes % kGiB == 0) return std::to_string(*bytes / kGiB) + "G";
  return std::to_string((*bytes + kMiB - 1) / kMiB) + "M";
}

Result<std::string> FormatDisk(const Value& disk, std::string_view base) {
  pve::PropertyString ps;
  if (!base.empty()) {
    auto parsed = pve::ParsePropertyString(base, "file");
    if (!parsed) return Fail(parsed.error());
    ps = std::move(*parsed);
  } else if (disk.contains("import_from")) {
    // STORAGE:0 with import-from: the new volume gets the image's size (grown to `size` afterwards).
    ps.Set("file", disk.value("storage", "") + ":0");
    ps.Set("import-from", ConfigText(disk["import_from"]));
  } else {
    ps.Set("file", disk.value("storage", "") + ":" + NewVolumeSize(disk.value("size", Value(0))));
  }
  for (const char* key : {"format", "cache", "serial"}) {
    if (disk.contains(key)) ps.Set(key, ConfigText(disk[key]));
  }
  if (disk.contains("discard")) ps.Set("discard", BoolText(disk["discard"]) == "1" ? "on" : "ignore");
  for (const char* key : {"ssd", "iothread", "backup", "replicate"}) {
    if (disk.contains(key)) ps.Set(key, BoolText(disk[key]));
  }
  return pve::FormatPropertyString(ps, "file");
}

Result<std::string> FormatNet(const Value& net, std::string_view base) {
  pve::PropertyString old;
  if (!base.empty()) {
    auto parsed = pve::ParsePropertyString(base, "model");
    if (!parsed) return Fail(parsed.error());
    old = std::move(*parsed);
  }
  // The model key carries the MAC: `virtio=BC:24:11:...`.
  std::string model = "virtio", mac;
  for (const auto& [key, value] : old.entries) {
    if (kNetModels.contains(key)) model = key, mac = value;
    if (key == "macaddr") mac = value;
  }
  if (net.contains("model")) model = ConfigText(net["model"]);
  if (net.contains("macaddr")) mac = ConfigText(net["macaddr"]);
  pve::PropertyString ps;
  ps.Set(model, mac);
  for (const auto& [key, value] : old.entries) {
    if (!kNetModels.contains(key) && key != "macaddr" && key != "model") ps.Set(key, value);
  }
  if (net.contains("bridge")) ps.Set("bridge", ConfigText(net["bridge"]));
  for (const char* key : {"tag", "mtu", "queues", "rate"}) {
    if (net.contains(key)) ps.Set(key, ConfigText(net[key]));
  }
  if (net.contains("trunks")) {
    std::string trunks;
    for (const Value& t : net["trunks"]) trunks += (trunks.empty() ? "" : ";") + ConfigText(t);
    ps.Set("trunks", trunks);
  }
  for (const char* key : {"firewall", "link_down"}) {
    if (net.contains(key)) ps.Set(key, BoolText(net[key]));
  }
  std::string text = pve::FormatPropertyString(ps);
  if (mac.empty() && text.starts_with(model + "=")) {
    text.erase(model.size(), 1);  // `virtio,bridge=...`: Proxmox assigns the MAC
  }
  return text;
}

std::string FormatEfiDisk(const Value& efi) {
  std::string text = efi.value("storage", "") + ":1";
  if (efi.contains("efitype")) text += ",efitype=" + ConfigText(efi["efitype"]);
  if (efi.contains("pre_enrolled_keys")) text += ",pre-enrolled-keys=" + BoolText(efi["pre_enrolled_keys"]);
  return text;
}

std::string FormatTpmState(const Value& tpm) {
  std::string text = tpm.value("storage", "") + ":1";
  if (tpm.contains("version")) text += ",version=" + ConfigText(tpm["version"]);
  return text;
}

std::string FormatVga(const Value& vga) {
  std::string text = "type=" + vga.value("type", "std");
  if (vga.contains("memory")) text += ",memory=" + ConfigText(vga["memory"]);
  return text;
}

std::string FormatPassthrough(const Value& entry, bool pci) {
  std::string text = "mapping=" + entry.value("mapping", "");
  if (pci) {
    if (entry.contains("pcie")) text += ",pcie=" + BoolText(entry["pcie"]);
    if (entry.contains("rombar")) text += ",rombar=" + BoolText(entry["rombar"]);
    if (entry.contains("x_vga")) text += ",x-vga=" + BoolText(entry["x_vga"]);
  } else if (entry.contains("usb3")) {
    text += ",usb3=" + BoolText(entry["usb3"]);
  }
  return text;
}

std::string FormatCdrom(const Value& medium) { return ConfigText(medium) + ",media=cdrom"; }

std::string FormatStartup(const Value& startup) {
  std::string text;
  for (const char* key : {"order", "up", "down"}) {
    if (startup.contains(key)) text += (text.empty() ? "" : ",") + std::string(key) + "=" + ConfigText(startup[key]);
  }
  return text;
}

std::string FormatBoot(const Value& boot) {
  std::string order;
  for (const Value& d : boot) order += (order.empty() ? "" : ";") + ConfigText(d);
  return "order=" + order;
}

std::string FormatIpConfig(const Value& entry) {
  std::string text;
  const std::pair<const char*, const char*> keys[] = {{"ip", "ip"}, {"gateway", "gw"}, {"ip6", "ip6"}, {"gateway6", "gw6"}};
  for (const auto& [spec_key, pve_key] : keys) {
    if (entry.contains(spec_key)) text += (text.empty() ? "" : ",") + std::string(pve_key) + "=" + ConfigText(entry[spec_key]);
  }
  return text;
}

std::string FormatSshKeys(const Value& keys) {
  std::string joined;
  for (const Value& k : keys) joined += ConfigText(k) + "\n";
  return UrlEncode(joined);
}

}  // namespace hainfra::providers::vm
