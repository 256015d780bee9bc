#include "sim/pvesim/ct_guest.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <regex>
#include <set>
#include <sstream>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/config_cache.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/qemu_ops.h"
#include "sim/pvesim/storage_config.h"
#include "sim/pvesim/storage_content.h"
#include "sim/pvesim/world.h"

namespace pvesim {

namespace {

const std::set<std::string>& CtIntegerKeys() {
  static const std::set<std::string> keys = {"cores", "cpuunits", "memory", "swap", "tty", "snaptime"};
  return keys;
}

const std::set<std::string>& CtBooleanKeys() {
  static const std::set<std::string> keys = {"onboot", "protection", "unprivileged", "template", "console", "debug"};
  return keys;
}

// LXC_FASTPLUG_OPTIONS: written to a running container's config at once.
const std::set<std::string>& CtFastPlug() {
  static const std::set<std::string> keys = {"description", "onboot", "startup", "protection", "hostname",
                                             "hookscript", "cores", "tags", "lock"};
  return keys;
}

bool CtIsNetKey(const std::string& key) {
  return key.size() > 3 && key.compare(0, 3, "net") == 0 &&
         key.find_first_not_of("0123456789", 3) == std::string::npos;
}

bool CtIsMpKey(const std::string& key) {
  return key.size() > 2 && key.compare(0, 2, "mp") == 0 && key.find_first_not_of("0123456789", 2) == std::string::npos;
}

bool CtIsUnusedKey(const std::string& key) {
  return key.size() > 6 && key.compare(0, 6, "unused") == 0 &&
         key.find_first_not_of("0123456789", 6) == std::string::npos;
}

bool CtStorageHasContent(const Section& s, const std::string& content) {
  std::string list = s.values.contains("content") ? ScalarText(s.values["content"]) : DefaultContent(s.type);
  for (const auto& c : SplitList(list))
    if (c == content) return true;
  return false;
}

bool CtBlockBacked(const std::string& type) {
  return type == "lvmthin" || type == "lvm" || type == "rbd" || type == "iscsidirect";
}

std::string CtStamp() {
  char buf[32];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// The volume a mount point or unusedN value names ("" for bind mounts).
std::string CtVolumeOf(const std::string& key, const std::string& value) {
  if (CtIsUnusedKey(key)) return value;
  PropertyMap mp = ParseMount(key, value);
  return MountType(mp) == "volume" ? mp["volume"] : "";
}

// add_unused_volume: a volume leaving the config is kept as unusedN (unless something still uses it).
void CtAddUnused(CtConfig& ct, const std::string& volume) {
  if (volume.empty()) return;
  for (const auto& [k, v] : ct.conf.main) {
    if ((IsMountKey(k) || CtIsUnusedKey(k)) && CtVolumeOf(k, v) == volume) return;
  }
  ct.conf.main[NextUnusedKey(ct.conf.main)] = volume;
}

}  // namespace

CtConfig ParseCtConfig(const std::string& raw) {
  CtConfig ct;
  ct.conf = ParseGuestConfig(raw);
  std::istringstream in(raw);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] == '[') break;  // raw keys of the current config only
    // pve-container: m/^(lxc\.[a-z0-9_\-\.]+)(:|\s*=)\s*(.*?)\s*$/ — `key: value` or `key = value`.
    static const std::regex raw_re(R"(^(lxc\.[a-z0-9_\-\.]+)(:|\s*=)\s*(.*?)\s*$)");
    if (line.rfind("lxc.", 0) != 0) continue;
    std::smatch m;
    if (!std::regex_match(line, m, raw_re)) continue;
    ct.lxc.emplace_back(m[1], m[3]);
  }
  // pve-container keeps these as integers/booleans; normalise the boolean spellings.
  for (auto* section : {&ct.conf.main, &ct.conf.pending}) {
    for (auto& [k, v] : *section) {
      if (CtBooleanKeys().contains(k)) {
        if (auto b = ParseBoolean(v)) v = *b ? "1" : "0";
      }
    }
  }
  return ct;
}

std::string WriteCtConfig(const CtConfig& ct) {
  std::string text = WriteGuestConfig(ct.conf);
  if (ct.lxc.empty()) return text;
  std::string raw;
  for (const auto& [k, v] : ct.lxc) raw += k + ": " + v + "\n";
  size_t section = text.find("\n[");
  if (section == std::string::npos) return text + raw;
  return text.substr(0, section + 1) + raw + text.substr(section + 1);
}

std::map<int, std::string> CtList(Simulator& sim) {
  std::map<int, std::string> out;
  for (const auto& node : sim.fs().List("nodes")) {
    for (const auto& file : sim.fs().List("nodes/" + node + "/lxc")) {
      if (file.size() < 6 || !file.ends_with(".conf")) continue;
      std::string id = file.substr(0, file.size() - 5);
      if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) continue;
      out[std::stoi(id)] = node;
    }
  }
  return out;
}

std::string CtConfPath(const std::string& node, int vmid) {
  return "nodes/" + node + "/lxc/" + std::to_string(vmid) + ".conf";
}

Result<CtConfig> LoadCt(Simulator& sim, const std::string& node, int vmid) {
  std::string path = CtConfPath(node, vmid);
  auto raw = sim.fs().Read(path);
  if (!raw) return Die("Configuration file '" + path + "' does not exist");
  return ParseCtConfig(*raw);
}

Status SaveCt(Simulator& sim, const std::string& node, int vmid, const CtConfig& ct) {
  return sim.fs().Write(CtConfPath(node, vmid), WriteCtConfig(ct));
}

Status CheckVmidUnused(Simulator& sim, int vmid) {
  auto vms = VmList(sim);
  if (auto it = vms.find(vmid); it != vms.end())
    return Die("VM " + std::to_string(vmid) + " already exists on node '" + it->second + "'");
  auto cts = CtList(sim);
  if (auto it = cts.find(vmid); it != cts.end())
    return Die("CT " + std::to_string(vmid) + " already exists on node '" + it->second + "'");
  return Ok();
}

std::string GuestTypeOf(Simulator& sim, int vmid) {
  if (VmList(sim).contains(vmid)) return "qemu";
  if (CtList(sim).contains(vmid)) return "lxc";
  return "";
}

nlohmann::json CtTypedValue(const std::string& key, const std::string& value) {
  if (CtBooleanKeys().contains(key) || CtIntegerKeys().contains(key)) {
    try {
      size_t used = 0;
      long long n = std::stoll(value, &used);
      if (used == value.size()) return n;
    } catch (...) {
    }
  }
  if (key == "cpulimit") {
    try {
      size_t used = 0;
      double n = std::stod(value, &used);
      if (used == value.size()) return n == static_cast<double>(static_cast<long long>(n)) ? nlohmann::json(static_cast<long long>(n)) : nlohmann::json(n);
    } catch (...) {
    }
  }
  return value;
}

nlohmann::json CtConfigJson(const CtConfig& ct, bool current) {
  ConfigMap merged = ct.conf.main;
  if (!current) {
    for (const auto& [k, v] : ct.conf.pending)
      if (k != "delete") merged[k] = v;
    auto pd = ct.conf.pending.find("delete");
    if (pd != ct.conf.pending.end())
      for (const auto& [k, force] : ParsePendingDelete(pd->second)) {
        // load_current_config: `delete $conf->{$opt} if $conf->{$opt}` — a false value ("0", "") stays.
        auto it = merged.find(k);
        if (it != merged.end() && !it->second.empty() && it->second != "0") merged.erase(it);
      }
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : merged) out[k] = CtTypedValue(k, v);
  if (!ct.lxc.empty()) {
    nlohmann::json raw = nlohmann::json::array();
    for (const auto& [k, v] : ct.lxc) raw.push_back({k, v});
    out["lxc"] = raw;
  }
  out["digest"] = ct.conf.digest;
  return out;
}

bool IsMountKey(const std::string& key) { return key == "rootfs" || CtIsMpKey(key); }

PropertyMap ParseMount(const std::string& key, const std::string& value) {
  (void)key;
  PropertyMap mp;
  for (auto& [k, v] : SplitLoose(value)) {
    if (k.empty()) mp["volume"] = v;
    else mp[k] = v;
  }
  return mp;
}

std::string PrintMount(const std::string& key, const PropertyMap& mp) {
  std::string out;
  auto vol = mp.find("volume");
  if (vol != mp.end()) out = vol->second;
  if (key != "rootfs") {
    if (auto it = mp.find("mp"); it != mp.end()) out += ",mp=" + it->second;
  }
  for (const auto& [k, v] : mp) {
    if (k == "volume" || (k == "mp" && key != "rootfs")) continue;
    out += "," + k + "=" + v;
  }
  return out;
}

std::string MountType(const PropertyMap& mp) {
  auto it = mp.find("volume");
  if (it == mp.end() || it->second.empty() || it->second[0] != '/') return "volume";
  return it->second.rfind("/dev/", 0) == 0 ? "device" : "bind";
}

std::string NormalizeCtNet(const std::string& value) {
  PropertyMap net = SplitLoose(value);
  net.erase("");
  if (!net.contains("hwaddr")) net["hwaddr"] = RandomMac();
  if (!net.contains("type")) net["type"] = "veth";
  std::string out = net.contains("name") ? "name=" + net["name"] : "";
  for (const auto& [k, v] : net) {
    if (k == "name") continue;
    out += (out.empty() ? "" : ",") + k + "=" + v;
  }
  return out;
}

Status CheckTemplateVolume(Simulator& sim, const std::string& volid, const std::string& node) {
  if (!volid.empty() && volid[0] == '/') return Ok();  // a path: the caller checks root@pam
  auto colon = volid.find(':');
  if (colon == std::string::npos) return Die("unable to parse volume ID '" + volid + "'");
  std::string storage = volid.substr(0, colon);
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  const Section* s = cfg.Find(storage);
  if (!s) return Die("storage '" + storage + "' does not exist");
  if (!StorageEnabledOn(*s, node)) return Die("storage '" + storage + "' is not available on node '" + node + "'");
  if (!CtStorageHasContent(*s, "vztmpl"))
    return Die("storage '" + storage + "' does not support container templates");
  if (volid.compare(colon + 1, 7, "vztmpl/") != 0) return Die("volume '" + volid + "' is not a container template");
  // pve-storage's abs_filesystem_path: the template file must be on the storage as `node` sees it.
  if (!StoredVolumeSize(sim, volid, node)) return Die("can't find file '" + volid + "'");
  return Ok();
}

Status CheckRootdirStorage(Simulator& sim, const std::string& storage, const std::string& node) {
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  const Section* s = cfg.Find(storage);
  if (!s) return Die("storage '" + storage + "' does not exist");
  if (ScalarText(s->values.value("disable", nlohmann::json(0))) == "1") return Die("storage '" + storage + "' is disabled");
  if (!StorageEnabledOn(*s, node)) return Die("storage '" + storage + "' is not available on node '" + node + "'");
  if (!CtStorageHasContent(*s, "rootdir")) return Die("storage '" + storage + "' does not support container directories");
  return Ok();
}

Status AllocateCtVolumes(Simulator& sim, const std::string& node, int vmid, const CtConfig& ct, ConfigMap& params,
                         const std::function<void(const std::string&)>& log) {
  static const std::regex new_volume("^([^/:\\s]+):(\\d+(\\.\\d+)?)$");
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  std::set<std::string> used;
  auto note = [&](const ConfigMap& m) {
    for (const auto& [k, v] : m)
      if (IsMountKey(k) || CtIsUnusedKey(k)) used.insert(CtVolumeOf(k, v));
  };
  note(ct.conf.main);
  note(ct.conf.pending);
  std::vector<std::string> keys;
  for (const auto& [k, v] : params)
    if (IsMountKey(k)) keys.push_back(k);
  std::sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
    if (a == "rootfs" || b == "rootfs") return a == "rootfs" && b != "rootfs";
    return std::stoi(a.substr(2)) < std::stoi(b.substr(2));
  });
  for (const auto& key : keys) {
    PropertyMap mp = ParseMount(key, params[key]);
    std::smatch m;
    const std::string volume = mp["volume"];
    if (!std::regex_match(volume, m, new_volume)) continue;
    std::string storage = m[1];
    if (auto st = CheckRootdirStorage(sim, storage, node); !st) return st;
    const Section* s = cfg.Find(storage);
    const double gib = std::stod(m[2]);
    const bool subvol = gib == 0 || s->type == "zfspool" || s->type == "btrfs";
    std::string volid;
    for (int n = 0;; ++n) {
      std::string name = (subvol ? "subvol-" : "vm-") + std::to_string(vmid) + "-disk-" + std::to_string(n);
      volid = CtBlockBacked(s->type) || s->type == "zfspool" ? storage + ":" + name
                                                          : storage + ":" + std::to_string(vmid) + "/" + name + (subvol ? "" : ".raw");
      bool taken = false;
      for (const auto& u : used) taken |= u.find(name) != std::string::npos && u.rfind(storage + ":", 0) == 0;
      if (!taken) break;
    }
    used.insert(volid);
    mp["volume"] = volid;
    mp["size"] = FormatSize(static_cast<uint64_t>(gib * static_cast<double>(1ull << 30)));
    if (log) log("  Logical volume \"" + volid.substr(volid.find(':') + 1) + "\" created.");
    params[key] = PrintMount(key, mp);
  }
  return Ok();
}

std::vector<std::string> CtLocalVolumes(Simulator& sim, const ConfigMap& conf) {
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  std::vector<std::string> out;
  for (const auto& [k, v] : conf) {
    if (!IsMountKey(k) && !CtIsUnusedKey(k)) continue;
    std::string vol = CtVolumeOf(k, v);
    auto colon = vol.find(':');
    if (colon == std::string::npos) continue;
    const Section* s = cfg.Find(vol.substr(0, colon));
    if (s && !StorageIsShared(*s)) out.push_back(vol);
  }
  return out;
}

std::vector<std::string> ApplyCtPending(CtConfig& ct, bool running) {
  GuestConfig& conf = ct.conf;
  auto hot_value = [&](const std::string& opt) {
    if (CtFastPlug().contains(opt)) return true;
    if (opt == "memory" || opt == "swap" || opt == "cpulimit" || opt == "cpuunits" || CtIsNetKey(opt)) return true;
    if (CtIsMpKey(opt)) return !conf.main.contains(opt);  // a new mount point hotplugs; a changed one does not
    return false;
  };
  auto hot_delete = [&](const std::string& opt) {
    return CtFastPlug().contains(opt) || CtIsUnusedKey(opt) || opt == "swap" || opt == "cpulimit" ||
           opt == "cpuunits" || CtIsNetKey(opt);
  };
  std::vector<std::string> stays;
  std::map<std::string, bool> deletions, kept_deletions;
  if (auto it = conf.pending.find("delete"); it != conf.pending.end()) deletions = ParsePendingDelete(it->second);
  for (const auto& [opt, force] : deletions) {
    if (running && !hot_delete(opt)) {
      kept_deletions[opt] = force;
      stays.push_back(opt);
      continue;
    }
    auto cur = conf.main.find(opt);
    if (cur == conf.main.end()) continue;
    std::string old = cur->second;
    conf.main.erase(cur);
    if (CtIsMpKey(opt)) CtAddUnused(ct, CtVolumeOf(opt, old));
  }
  ConfigMap kept;
  for (const auto& [opt, value] : conf.pending) {
    if (opt == "delete") continue;
    if (running && !hot_value(opt)) {
      kept[opt] = value;
      stays.push_back(opt);
      continue;
    }
    auto cur = conf.main.find(opt);
    std::string old = cur == conf.main.end() ? "" : cur->second;
    conf.main[opt] = value;
    if (IsMountKey(opt) && !old.empty() && CtVolumeOf(opt, old) != CtVolumeOf(opt, value)) CtAddUnused(ct, CtVolumeOf(opt, old));
  }
  conf.pending = kept;
  if (!kept_deletions.empty()) conf.pending["delete"] = PrintPendingDelete(kept_deletions);
  return stays;
}

Status CheckCtLock(const GuestConfig& conf, bool skiplock) {
  auto it = conf.main.find("lock");
  if (!skiplock && it != conf.main.end()) return Die("CT is locked (" + it->second + ")");
  return Ok();
}

Status StartCt(Simulator& sim, TaskContext& ctx, const std::string& node, int vmid, bool skiplock) {
  auto guard = sim.guest_locks().Acquire(vmid);
  if (!guard) return Fail(guard.error());
  auto ct = LoadCt(sim, node, vmid);
  if (!ct) return Fail(ct.error());
  if (ct->conf.main.contains("template") && ct->conf.main["template"] == "1") return Die("cannot start a template");
  if (auto st = CheckCtLock(ct->conf, skiplock); !st) return st;
  if (GuestRunning(sim, vmid)) return Die("CT " + std::to_string(vmid) + " already running");
  if (!ct->conf.pending.empty()) {
    ApplyCtPending(*ct, false);
    if (auto st = SaveCt(sim, node, vmid, *ct); !st) return st;
  }
  if (auto st = ctx.Work(); !st) return st;
  SetRunning(sim, vmid, true);
  return Ok();
}

Status StopCt(Simulator& sim, TaskContext& ctx, const std::string& node, int vmid, bool skiplock, bool shutdown) {
  auto guard = sim.guest_locks().Acquire(vmid);
  if (!guard) return Fail(guard.error());
  auto ct = LoadCt(sim, node, vmid);
  if (!ct) return Fail(ct.error());
  if (auto st = CheckCtLock(ct->conf, skiplock); !st) return st;
  if (!GuestRunning(sim, vmid)) return Ok();  // the API refuses "not running" before the task
  if (shutdown) ctx.Log("CT " + std::to_string(vmid) + " shutting down");
  if (auto st = ctx.Work(); !st) return st;
  SetRunning(sim, vmid, false);
  return Ok();
}

Status MigrateCt(Simulator& sim, TaskContext& ctx, const std::string& source, const std::string& target, int vmid,
                 bool restart) {
  const int64_t started = Now();
  const std::string id = std::to_string(vmid);
  const bool was_running = GuestRunning(sim, vmid);
  if (was_running && !restart) return Die("lxc live migration is currently not implemented");
  if (was_running) {
    ctx.Log(CtStamp() + " shutdown CT " + id);
    if (auto st = StopCt(sim, ctx, source, vmid, false, true); !st) return st;
  }
  {
    auto guard = sim.guest_locks().Acquire(vmid);
    if (!guard) return Fail(guard.error());
    auto ct = LoadCt(sim, source, vmid);
    if (!ct) return Fail(ct.error());
    if (auto st = CheckCtLock(ct->conf, false); !st) return st;
    ctx.Log(CtStamp() + " starting migration of CT " + id + " to node '" + target + "' (" + sim.facts().Address(target) + ")");
    if (!sim.facts().Online(target)) {
      ctx.Log(CtStamp() + " ERROR: migration aborted (duration 00:00:03): Can't connect to destination address using public key");
      return Die("migration aborted");
    }
    auto local = CtLocalVolumes(sim, ct->conf.main);
    for (const auto& vol : local) {
      std::string storage = vol.substr(0, vol.find(':'));
      if (auto st = CheckRootdirStorage(sim, storage, target); !st) {
        std::string msg = st.error().message;
        msg.pop_back();
        ctx.Log(CtStamp() + " ERROR: migration aborted (duration 00:00:00): " + msg);
        return Die("migration aborted");
      }
      ctx.Log(CtStamp() + " found local volume '" + vol + "' (in current VM config)");
    }
    ct->conf.main["lock"] = "migrate";
    if (auto st = SaveCt(sim, source, vmid, *ct); !st) return st;
    for (const auto& vol : local) ctx.Log(CtStamp() + " volume '" + vol + "' is '" + vol + "' on the target");
    Status work = ctx.Work();
    ct->conf.main.erase("lock");
    if (!work) {
      (void)SaveCt(sim, source, vmid, *ct);
      ctx.Log(CtStamp() + " ERROR: migration aborted: " + work.error().message.substr(0, work.error().message.size() - 1));
      return Die("migration aborted");
    }
    if (auto st = SaveCt(sim, source, vmid, *ct); !st) return st;
    if (auto st = sim.fs().Rename(CtConfPath(source, vmid), CtConfPath(target, vmid)); !st) return st;
    ctx.Log(CtStamp() + " start final cleanup");
  }
  if (was_running) {
    ctx.Log(CtStamp() + " start container on target node");
    if (auto st = StartCt(sim, ctx, target, vmid, false); !st) return st;
  }
  int64_t d = Now() - started;
  char dur[64];
  std::snprintf(dur, sizeof dur, "%02lld:%02lld:%02lld", static_cast<long long>(d / 3600),
                static_cast<long long>(d / 60 % 60), static_cast<long long>(d % 60));
  ctx.Log(CtStamp() + " migration finished successfully (duration " + dur + ")");
  return Ok();
}

CtUsage CtUsageOf(Simulator& sim, int vmid, const ConfigMap& conf) {
  CtUsage u;
  auto get = [&](const char* k, const std::string& def) {
    auto it = conf.find(k);
    return it == conf.end() ? def : it->second;
  };
  try {
    if (conf.contains("cores")) u.cpus = std::stoi(get("cores", "1"));
    else if (conf.contains("cpulimit") && std::stod(get("cpulimit", "0")) > 0) u.cpus = static_cast<int>(std::ceil(std::stod(get("cpulimit", "1"))));
    else u.cpus = 16;  // unlimited: every host CPU
    u.maxmem = std::stoull(get("memory", "512")) << 20;
    u.maxswap = std::stoull(get("swap", "512")) << 20;
  } catch (...) {
  }
  if (conf.contains("rootfs")) {
    PropertyMap rootfs = ParseMount("rootfs", conf.at("rootfs"));
    if (rootfs.contains("size")) u.maxdisk = ParseSize(rootfs["size"]).value_or(0);
  }
  auto it = sim.runtime().vms.find(vmid);
  if (it != sim.runtime().vms.end() && it->second.running) {
    u.running = true;
    u.pid = it->second.pid;
    u.uptime = std::max<int64_t>(1, Now() - it->second.started);
    u.mem = u.maxmem * 6 / 100;
    u.disk = u.maxdisk / 20;
    u.cpu = 0.001 * static_cast<double>(vmid % 7);
  }
  return u;
}

std::string CtName(const ConfigMap& conf, int vmid) {
  auto it = conf.find("hostname");
  return it != conf.end() ? it->second : "CT" + std::to_string(vmid);
}

// ---- ConfigCache (config_cache.h): here, beside both parsers. ----

// Looks `path` up in `entries` under `mu`; parses (outside the lock) when the text changed or is new.
template <typename T, typename Parse>
std::shared_ptr<const T> ConfigCache::Lookup(std::mutex& mu, std::unordered_map<std::string, Entry<T>>& entries,
                                             const std::string& path, const std::string& raw, Parse parse) {
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = entries.find(path);
    if (it != entries.end() && it->second.raw == raw) return it->second.parsed;
  }
  auto parsed = std::make_shared<const T>(parse(raw));
  std::lock_guard<std::mutex> lock(mu);
  auto& e = entries[path];
  e.raw = raw;
  e.parsed = parsed;
  return parsed;
}

std::shared_ptr<const GuestConfig> ConfigCache::Guest(const std::string& path, const std::string& raw) {
  return Lookup<GuestConfig>(mu_, guests_, path, raw, ParseGuestConfig);
}

std::shared_ptr<const CtConfig> ConfigCache::Ct(const std::string& path, const std::string& raw) {
  return Lookup<CtConfig>(mu_, cts_, path, raw, ParseCtConfig);
}

size_t ConfigCache::Size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return guests_.size() + cts_.size();
}

}  // namespace pvesim
