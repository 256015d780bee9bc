#include "sim/pvesim/qemu_disks.h"

#include <regex>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/storage_config.h"
#include "sim/pvesim/storage_content.h"

namespace pvesim {

const std::vector<std::string>& DriveKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (int i = 0; i <= 3; ++i) k.push_back("ide" + std::to_string(i));
    for (int i = 0; i <= 5; ++i) k.push_back("sata" + std::to_string(i));
    for (int i = 0; i <= 30; ++i) k.push_back("scsi" + std::to_string(i));
    for (int i = 0; i <= 15; ++i) k.push_back("virtio" + std::to_string(i));
    k.push_back("efidisk0");
    k.push_back("tpmstate0");
    return k;
  }();
  return keys;
}

bool IsValidDriveName(const std::string& key) {
  return std::find(DriveKeys().begin(), DriveKeys().end(), key) != DriveKeys().end();
}

PropertyMap ParseDrive(const std::string& value) {
  PropertyMap d = SplitLoose(value);
  if (d.contains("")) {
    d["file"] = d[""];
    d.erase("");
  }
  if (d.contains("volume") && !d.contains("file")) {
    d["file"] = d["volume"];
    d.erase("volume");
  }
  return d;
}

std::string PrintDrive(const PropertyMap& drive) {
  std::string out;
  auto f = drive.find("file");
  if (f != drive.end()) out = f->second;
  for (const auto& [k, v] : drive) {
    if (k == "file") continue;
    out += (out.empty() ? "" : ",") + k + "=" + v;
  }
  return out;
}

bool DriveIsCdrom(const PropertyMap& drive) {
  auto m = drive.find("media");
  if (m != drive.end() && m->second == "cdrom") return true;
  auto f = drive.find("file");
  return f != drive.end() && (f->second == "cdrom" || f->second == "none");
}

namespace {

const Section* FindStorage(const SectionFile& cfg, const std::string& id) { return cfg.Find(id); }

bool HasContent(const Section& s, const std::string& content) {
  std::string list = s.values.contains("content") ? ScalarText(s.values["content"]) : DefaultContent(s.type);
  for (const auto& c : SplitList(list))
    if (c == content) return true;
  return false;
}

bool BlockStorage(const std::string& type) {
  return type == "lvmthin" || type == "lvm" || type == "rbd" || type == "zfspool" || type == "zfs" ||
         type == "iscsidirect";
}

// The highest disk number of this guest on a storage, from every volume the config names.
int NextDiskNumber(const GuestConfig& conf, const ConfigMap& params, const std::string& storage, int vmid) {
  std::regex re(storage + ":(?:" + std::to_string(vmid) + "/)?vm-" + std::to_string(vmid) + "-disk-(\\d+)");
  int next = 0;
  auto scan = [&](const ConfigMap& m) {
    for (const auto& [k, v] : m) {
      std::smatch match;
      if (std::regex_search(v, match, re)) next = std::max(next, std::stoi(match[1]) + 1);
    }
  };
  scan(conf.main);
  scan(conf.pending);
  for (const auto& [name, snap] : conf.snapshots) scan(snap);
  scan(params);
  return next;
}

// An import source: a file of `import` content (storage_content.h) or another guest's disk volume.
Result<uint64_t> ImportSourceSize(Simulator& sim, const std::string& volid, const std::string& node) {
  if (volid.empty() || volid[0] == '/') return Die("pvesim: importing from an absolute path is not simulated");
  if (auto size = StoredVolumeSize(sim, volid, node)) return *size;
  for (const auto& [vmid, host] : VmList(sim)) {
    auto conf = LoadGuest(sim, host, vmid);
    if (!conf) continue;
    for (const auto& [k, v] : conf->main) {
      if (!IsValidDriveName(k) && k.rfind("unused", 0) != 0) continue;
      PropertyMap d = ParseDrive(v);
      if (d["file"] == volid && d.contains("size")) return ParseSize(d["size"]).value_or(0);
    }
  }
  return Die("volume '" + volid + "' does not exist");
}

}  // namespace

Status CheckImageStorage(Simulator& sim, const std::string& storage, const std::string& node) {
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  const Section* s = FindStorage(cfg, storage);
  if (!s) return Die("storage '" + storage + "' does not exist");
  if (ScalarText(s->values.value("disable", json(0))) == "1") return Die("storage '" + storage + "' is disabled");
  if (!StorageEnabledOn(*s, node)) return Die("storage '" + storage + "' is not available on node '" + node + "'");
  if (!HasContent(*s, "images")) return Die("storage '" + storage + "' does not support vm images");
  return Ok();
}

Status AllocateNewDisks(Simulator& sim, const std::string& node, int vmid, const GuestConfig& conf,
                        ConfigMap& params, const std::optional<std::string>& default_storage) {
  static const std::regex new_disk("^(([^/:\\s]+):)?(\\d+(\\.\\d+)?)$");
  static const std::regex cloudinit("^([^/:\\s]+):cloudinit$");
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  for (const std::string& key : DriveKeys()) {
    auto it = params.find(key);
    if (it == params.end()) continue;
    PropertyMap drive = ParseDrive(it->second);
    std::string file = drive["file"];
    std::smatch m;
    bool is_ci = std::regex_match(file, m, cloudinit);
    if (!is_ci && !std::regex_match(file, m, new_disk)) continue;
    std::string storage = m[2].matched ? m[2].str() : is_ci ? m[1].str() : default_storage.value_or("");
    if (is_ci) storage = m[1];
    if (storage.empty()) return Die("no storage ID specified (and no default storage)");
    if (auto st = CheckImageStorage(sim, storage, node); !st) return st;
    const Section* s = FindStorage(cfg, storage);
    std::string fmt = drive.contains("format") ? drive["format"] : "raw";
    std::optional<std::string> import_from;
    if (drive.contains("import-from")) import_from = drive["import-from"];
    drive.erase("format");
    drive.erase("import-from");
    if (is_ci) {
      drive["file"] = BlockStorage(s->type) ? storage + ":vm-" + std::to_string(vmid) + "-cloudinit"
                                            : storage + ":" + std::to_string(vmid) + "/vm-" + std::to_string(vmid) + "-cloudinit.qcow2";
      drive["media"] = "cdrom";
      it->second = PrintDrive(drive);
      continue;
    }
    int n = NextDiskNumber(conf, params, storage, vmid);
    std::string name = "vm-" + std::to_string(vmid) + "-disk-" + std::to_string(n);
    drive["file"] = BlockStorage(s->type) ? storage + ":" + name : storage + ":" + std::to_string(vmid) + "/" + name + "." + fmt;
    uint64_t bytes;
    if (key == "efidisk0" || key == "tpmstate0") {
      bytes = 4ull << 20;
    } else {
      double gib = std::stod(m[3]);
      bytes = static_cast<uint64_t>(gib * static_cast<double>(1ull << 30));
      if (import_from) {
        // The new disk gets the imported image's (virtual) size, whatever size was written.
        auto source = ImportSourceSize(sim, *import_from, node);
        if (!source) return Fail(source.error());
        bytes = *source;
      } else if (gib == 0) {
        return Die("unable to parse size '0' for " + key + " (use STORAGE:0 only with import-from)");
      }
    }
    drive["size"] = FormatSize(bytes);
    it->second = PrintDrive(drive);
  }
  return Ok();
}

Status CheckDriveVolumes(Simulator& sim, const ConfigMap& params) {
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  for (const auto& [key, value] : params) {
    if (!IsValidDriveName(key) && key.rfind("unused", 0) != 0) continue;
    PropertyMap drive = ParseDrive(value);
    std::string file = drive["file"];
    if (file == "none" || file == "cdrom" || file.empty() || file[0] == '/') continue;
    auto colon = file.find(':');
    if (colon == std::string::npos) continue;
    std::string storage = file.substr(0, colon);
    if (!cfg.Find(storage)) return Die("storage '" + storage + "' does not exist");
  }
  return Ok();
}

std::string NextUnusedKey(const ConfigMap& conf) {
  for (int i = 0; i < 256; ++i) {
    std::string k = "unused" + std::to_string(i);
    if (!conf.contains(k)) return k;
  }
  return "unused255";
}

std::string DefaultBootOrder(const ConfigMap& conf) {
  std::vector<std::string> order;
  auto first = [&](bool cdrom) -> std::string {
    for (const auto& k : DriveKeys()) {
      if (k == "efidisk0" || k == "tpmstate0") continue;
      auto it = conf.find(k);
      if (it == conf.end()) continue;
      if (DriveIsCdrom(ParseDrive(it->second)) == cdrom) return k;
    }
    return "";
  };
  if (auto d = first(false); !d.empty()) order.push_back(d);
  if (auto c = first(true); !c.empty()) order.push_back(c);
  for (const auto& [k, v] : conf) {
    if (k.rfind("net", 0) == 0 && k.size() > 3 && std::isdigit(static_cast<unsigned char>(k[3]))) {
      order.push_back(k);
      break;
    }
  }
  std::string out = "order=";
  for (size_t i = 0; i < order.size(); ++i) out += (i ? ";" : "") + order[i];
  return order.empty() ? "" : out;
}

std::vector<std::string> LocalDiskVolumes(Simulator& sim, const ConfigMap& conf) {
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  std::vector<std::string> out;
  for (const auto& [key, value] : conf) {
    if (!IsValidDriveName(key) && key.rfind("unused", 0) != 0) continue;
    PropertyMap drive = ParseDrive(value);
    if (DriveIsCdrom(drive)) continue;
    std::string file = drive["file"];
    auto colon = file.find(':');
    if (colon == std::string::npos) continue;
    const Section* s = cfg.Find(file.substr(0, colon));
    if (s && !StorageIsShared(*s)) out.push_back(file);
  }
  return out;
}

}  // namespace pvesim
