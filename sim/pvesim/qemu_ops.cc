#include "sim/pvesim/qemu_ops.h"

#include <cstdio>
#include <set>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/storage_config.h"

namespace pvesim {

Result<std::string> VmNode(Simulator& sim, int vmid) {
  auto vms = VmList(sim);
  auto it = vms.find(vmid);
  if (it == vms.end()) return Die("Configuration file 'nodes/" + sim.LocalNode() + "/qemu-server/" +
                                  std::to_string(vmid) + ".conf' does not exist");
  return it->second;
}

bool GuestRunning(Simulator& sim, int vmid) {
  std::lock_guard<std::mutex> lock(sim.mu());
  auto it = sim.runtime().vms.find(vmid);
  return it != sim.runtime().vms.end() && it->second.running;
}

void SetRunning(Simulator& sim, int vmid, bool running) {
  {
    std::lock_guard<std::mutex> lock(sim.mu());
    VmRuntime& vm = sim.runtime().vms[vmid];
    vm.running = running;
    vm.qmpstatus = running ? "running" : "stopped";
    vm.started = running ? Now() : 0;
    static uint32_t next_pid = 200000;
    vm.pid = running ? next_pid++ : 0;
  }
  sim.MarkDirty();
}

Status CheckGuestLock(const GuestConfig& conf, bool skiplock) {
  auto it = conf.main.find("lock");
  if (!skiplock && it != conf.main.end()) return Die("VM is locked (" + it->second + ")");
  return Ok();
}

namespace {

// The options qemu-server commits to a running guest without hotplug.
const std::set<std::string>& FastPlug() {
  static const std::set<std::string> s = {"description", "hookscript", "lock", "migrate_downtime", "migrate_speed",
                                          "name", "onboot", "protection", "shares", "startup", "tags",
                                          "vmstatestorage", "ciuser", "cipassword", "citype", "ciupgrade",
                                          "cicustom", "nameserver", "searchdomain", "sshkeys"};
  return s;
}

std::set<std::string> HotplugFeatures(const GuestConfig& conf) {
  std::string v = conf.main.contains("hotplug") ? conf.main.at("hotplug") : "1";
  if (v == "1") return {"network", "disk", "usb"};
  if (v == "0") return {};
  std::set<std::string> out;
  for (const auto& f : SplitList(v)) out.insert(f);
  return out;
}

// Can a running guest take `opt` now (hotplug), or must it wait for the next start?
bool Hotpluggable(const GuestConfig& conf, const std::string& opt, const std::set<std::string>& features) {
  if (FastPlug().contains(opt) || opt.rfind("ipconfig", 0) == 0) return true;
  if (opt.rfind("net", 0) == 0 && opt.size() > 3 && std::isdigit(static_cast<unsigned char>(opt[3])))
    return features.contains("network");
  if (opt.rfind("usb", 0) == 0) return features.contains("usb");
  if (IsValidDriveName(opt)) {
    if (opt == "efidisk0" || opt == "tpmstate0") return false;
    bool bus_hotplug = opt.rfind("scsi", 0) == 0 || opt.rfind("virtio", 0) == 0;
    if (bus_hotplug) return features.contains("disk");
    // ide/sata: only a cdrom's medium can change while running.
    auto cur = conf.main.find(opt);
    auto pen = conf.pending.find(opt);
    return cur != conf.main.end() && pen != conf.pending.end() && DriveIsCdrom(ParseDrive(cur->second)) &&
           DriveIsCdrom(ParseDrive(pen->second));
  }
  if (opt == "memory") return features.contains("memory");
  if (opt == "vcpus") return features.contains("cpu");
  if (opt == "cpuunits" || opt == "cpulimit") return true;
  if (opt == "balloon") return !(conf.main.contains("balloon") && conf.main.at("balloon") == "0");
  return false;
}

// A disk leaving the config is kept as unusedN (vmconfig_register_unused_drive).
void RegisterUnused(GuestConfig& conf, const std::string& value) {
  PropertyMap drive = ParseDrive(value);
  if (DriveIsCdrom(drive)) return;
  std::string file = drive["file"];
  if (file.empty() || file.find(':') == std::string::npos) return;
  for (const auto& [k, v] : conf.main)
    if ((IsValidDriveName(k) || k.rfind("unused", 0) == 0) && ParseDrive(v)["file"] == file) return;
  conf.main[NextUnusedKey(conf.main)] = file;
}

}  // namespace

std::vector<std::string> ApplyPending(GuestConfig& conf, bool running) {
  auto features = HotplugFeatures(conf);
  std::vector<std::string> stays;
  std::map<std::string, bool> deletions;
  if (auto it = conf.pending.find("delete"); it != conf.pending.end()) deletions = ParsePendingDelete(it->second);
  std::map<std::string, bool> kept_deletions;
  for (const auto& [opt, force] : deletions) {
    if (running && !Hotpluggable(conf, opt, features)) {
      kept_deletions[opt] = force;
      stays.push_back(opt);
      continue;
    }
    auto cur = conf.main.find(opt);
    if (cur == conf.main.end()) continue;
    std::string old = cur->second;
    conf.main.erase(cur);
    if (IsValidDriveName(opt) && !force) RegisterUnused(conf, old);
  }
  ConfigMap kept_values;
  for (const auto& [opt, value] : conf.pending) {
    if (opt == "delete") continue;
    if (running && !Hotpluggable(conf, opt, features)) {
      kept_values[opt] = value;
      stays.push_back(opt);
      continue;
    }
    auto cur = conf.main.find(opt);
    if (cur != conf.main.end() && IsValidDriveName(opt) &&
        ParseDrive(cur->second)["file"] != ParseDrive(value)["file"]) {
      std::string old = cur->second;
      conf.main[opt] = value;
      RegisterUnused(conf, old);
    } else {
      conf.main[opt] = value;
    }
  }
  conf.pending = kept_values;
  if (!kept_deletions.empty()) conf.pending["delete"] = PrintPendingDelete(kept_deletions);
  return stays;
}

Status StartGuest(Simulator& sim, TaskContext& ctx, const std::string& node, int vmid, bool skiplock) {
  auto guard = sim.guest_locks().Acquire(vmid);
  if (!guard) return Fail(guard.error());
  auto conf = LoadGuest(sim, node, vmid);
  if (!conf) return Fail(conf.error());
  if (conf->main.contains("template") && conf->main["template"] == "1") return Die("you can't start a vm if it's a template");
  bool suspended = conf->main.contains("lock") && conf->main["lock"] == "suspended";
  if (!suspended) {
    if (auto st = CheckGuestLock(*conf, skiplock); !st) return st;
  }
  if (GuestRunning(sim, vmid)) return Die("VM " + std::to_string(vmid) + " already running");
  if (!conf->pending.empty()) {
    ApplyPending(*conf, false);
    if (auto st = SaveGuest(sim, node, vmid, *conf); !st) return st;
  }
  if (auto st = ctx.Work(); !st) return st;
  SetRunning(sim, vmid, true);
  return Ok();
}

Status StopGuest(Simulator& sim, TaskContext& ctx, const std::string& node, int vmid, bool skiplock, bool shutdown) {
  auto guard = sim.guest_locks().Acquire(vmid);
  if (!guard) return Fail(guard.error());
  auto conf = LoadGuest(sim, node, vmid);
  if (!conf) return Fail(conf.error());
  if (auto st = CheckGuestLock(*conf, skiplock); !st) return st;
  if (!GuestRunning(sim, vmid)) return Ok();
  if (shutdown) ctx.Log("VM " + std::to_string(vmid) + " shutting down");
  if (auto st = ctx.Work(); !st) return st;
  SetRunning(sim, vmid, false);
  return Ok();
}

Status MigrateGuest(Simulator& sim, TaskContext& ctx, const std::string& source, const std::string& target, int vmid,
                    bool online, bool with_local_disks) {
  auto guard = sim.guest_locks().Acquire(vmid);
  if (!guard) return Fail(guard.error());
  int64_t started = Now();
  auto stamp = [] {
    char buf[32];
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return std::string(buf);
  };
  auto conf = LoadGuest(sim, source, vmid);
  if (!conf) return Fail(conf.error());
  if (auto st = CheckGuestLock(*conf, false); !st) return st;
  std::string id = std::to_string(vmid);
  ctx.Log(stamp() + " starting migration of VM " + id + " to node '" + target + "' (" + sim.facts().Address(target) + ")");
  if (!sim.facts().Online(target)) {
    ctx.Log(stamp() + " ERROR: migration aborted (duration 00:00:03): Can't connect to destination address using public key");
    return Die("migration aborted");
  }
  bool running = GuestRunning(sim, vmid);
  auto local = LocalDiskVolumes(sim, conf->main);
  if (running && online && !local.empty() && !with_local_disks) {
    ctx.Log(stamp() + " ERROR: Problem found while scanning volumes - can't live migrate attached local disks without with-local-disks option");
    ctx.Log(stamp() + " ERROR: migration aborted (duration 00:00:00): Problem found while scanning volumes - can't live migrate attached local disks without with-local-disks option");
    return Die("migration aborted");
  }
  for (const auto& vol : local) {
    std::string storage = vol.substr(0, vol.find(':'));
    if (auto st = CheckImageStorage(sim, storage, target); !st) {
      std::string msg = st.error().message;
      msg.pop_back();
      ctx.Log(stamp() + " ERROR: migration aborted (duration 00:00:00): " + msg);
      return Die("migration aborted");
    }
    ctx.Log(stamp() + " found local disk '" + vol + "' (attached)");
  }
  conf->main["lock"] = "migrate";
  if (auto st = SaveGuest(sim, source, vmid, *conf); !st) return st;
  if (running) {
    ctx.Log(stamp() + " starting VM " + id + " on remote node '" + target + "'");
    ctx.Log(stamp() + " start remote tunnel");
    ctx.Log(stamp() + " starting online/live migration on unix:/run/qemu-server/" + id + ".migrate");
  }
  for (const auto& vol : local) ctx.Log(stamp() + " copying local disk '" + vol + "' to node '" + target + "'");
  Status work = ctx.Work();
  // Whatever happened, the source keeps a consistent config: drop the migrate lock.
  conf->main.erase("lock");
  if (!work) {
    (void)SaveGuest(sim, source, vmid, *conf);
    ctx.Log(stamp() + " ERROR: migration aborted: " + work.error().message.substr(0, work.error().message.size() - 1));
    return Die("migration aborted");
  }
  if (auto st = SaveGuest(sim, source, vmid, *conf); !st) return st;
  if (auto st = sim.fs().Rename(GuestConfPath(source, vmid), GuestConfPath(target, vmid)); !st) return st;
  if (running) ctx.Log(stamp() + " migration status: completed");
  int64_t d = Now() - started;
  char dur[64];
  std::snprintf(dur, sizeof dur, "%02lld:%02lld:%02lld", static_cast<long long>(d / 3600),
                static_cast<long long>(d / 60 % 60), static_cast<long long>(d % 60));
  ctx.Log(stamp() + " migration finished successfully (duration " + dur + ")");
  return Ok();
}

}  // namespace pvesim
