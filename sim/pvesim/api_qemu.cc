// /nodes/{node}/qemu: the guest list, creating guests (qmcreate), the per-guest index and destroying
// guests (qmdestroy), as qemu-server's API2::Qemu does it.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/ha_config.h"
#include "sim/pvesim/package_baseline.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/qemu_net.h"
#include "sim/pvesim/qemu_ops.h"
#include "sim/pvesim/guest_membership.h"

namespace pvesim {

namespace {

Result<Reply> ListGuests(Call& c) {
  json out = json::array();
  auto vms = VmList(c.sim);
  std::lock_guard<std::mutex> lock(c.sim.mu());
  for (const auto& [vmid, node] : vms) {
    if (node != c.node) continue;
    std::string path = GuestConfPath(node, vmid);
    auto raw = c.sim.fs().Read(path);
    if (!raw) continue;
    const GuestConfig& conf = *c.sim.config_cache().Guest(path, *raw);
    GuestUsage g = GuestUsageOf(c.sim, vmid, conf.main);
    json e = {{"vmid", vmid}, {"status", g.running ? "running" : "stopped"}, {"cpus", g.maxcpu},
              {"maxmem", g.maxmem}, {"maxdisk", g.maxdisk}, {"mem", g.mem}, {"cpu", g.cpu}, {"disk", 0},
              {"uptime", g.uptime}, {"netin", g.running ? 1024 * g.uptime : 0}, {"netout", g.running ? 512 * g.uptime : 0},
              {"diskread", g.running ? 4096 * g.uptime : 0}, {"diskwrite", g.running ? 2048 * g.uptime : 0}};
    e["name"] = conf.main.contains("name") ? conf.main.at("name") : "VM " + std::to_string(vmid);
    if (g.running) e["pid"] = g.pid;
    if (conf.main.contains("lock")) e["lock"] = conf.main.at("lock");
    if (conf.main.contains("tags")) e["tags"] = conf.main.at("tags");
    if (conf.main.contains("template") && conf.main.at("template") == "1") e["template"] = 1;
    if (c.params.Bool("full") && g.running) {
      e["qmpstatus"] = "running";
      e["running-machine"] = "pc-i440fx-" + std::string(c.sim.pve() == 9 ? "10.1" : "9.2") + "+pve0";
      e["running-qemu"] = c.sim.pve() == 9 ? "10.1.2" : "9.2.0";
    }
    out.push_back(e);
  }
  return Reply(out);
}

Result<Reply> CreateGuest(Call& c) {
  Params p = c.params;
  p.Take("node");
  int vmid = static_cast<int>(p.Int("vmid").value_or(0));
  p.Take("vmid");
  if (p.Take("archive")) return Die("pvesim: restoring guests from backup archives is not simulated");
  p.Take("bwlimit");
  p.Take("force");
  p.Take("unique");
  p.Take("live-restore");
  p.Take("import-working-storage");
  auto pool = p.Take("pool");
  bool start = p.Bool("start");
  p.Take("start");
  bool ha_managed = p.Bool("ha-managed");
  p.Take("ha-managed");
  auto storage = p.Take("storage");
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  if (pool && !PoolMembers(c.sim).contains(*pool)) return Die("pool '" + *pool + "' does not exist");
  ConfigMap conf_params;
  for (const auto& key : p.Keys()) conf_params[key] = p.StrOr(key, "");
  if (conf_params.contains("cdrom")) {
    conf_params["ide2"] = conf_params["cdrom"] + ",media=cdrom";
    conf_params.erase("cdrom");
  }
  if (auto st = CheckDriveVolumes(c.sim, conf_params); !st) return Fail(st.error());
  for (const auto& [key, value] : conf_params) {
    PropertyMap d = IsValidDriveName(key) ? ParseDrive(value) : PropertyMap{};
    std::string file = d["file"];
    if (IsValidDriveName(key) && file.find(':') != std::string::npos && file.find('/') == std::string::npos &&
        file.find("vm-") == std::string::npos) {
      if (auto st = CheckImageStorage(c.sim, file.substr(0, file.find(':')), c.node); !st) return Fail(st.error());
    }
  }
  for (auto& [key, value] : conf_params)
    if (key.rfind("net", 0) == 0 && key.size() > 3 && std::isdigit(static_cast<unsigned char>(key[3]))) value = NormalizeNet(value);

  std::string emsg = "unable to create VM " + std::to_string(vmid) + " - ";
  // create_and_lock_config: the placeholder config with "lock: create" is there before the task starts.
  {
    auto guard = c.sim.guest_locks().Acquire(vmid, std::chrono::seconds(5));
    if (!guard) return Die(emsg + guard.error().message);
    std::lock_guard<std::mutex> lock(c.sim.mu());
    if (auto st = CheckVmidUnused(c.sim, vmid); !st) return Die(emsg + st.error().message);
    GuestConfig placeholder;
    placeholder.main["lock"] = "create";
    if (auto st = SaveGuest(c.sim, c.node, vmid, placeholder); !st) return Die(emsg + st.error().message);
  }

  Simulator& sim = c.sim;
  std::string node = c.node, user = c.caller.Userid();
  std::string upid = sim.tasks().Start(node, "qmcreate", std::to_string(vmid), user, [&sim, node, vmid, conf_params, pool, start, ha_managed, storage, emsg](TaskContext& ctx) -> Status {
    auto fail = [&](const ApiError& e) -> Status {
      (void)sim.fs().Remove(GuestConfPath(node, vmid));
      return Die(emsg + e.message);
    };
    {
      auto guard = sim.guest_locks().Acquire(vmid, std::chrono::seconds(1));
      if (!guard) return fail(guard.error());
      if (auto st = ctx.Work(); !st) return fail(st.error());
      GuestConfig conf;
      conf.main = conf_params;
      if (auto st = AllocateNewDisks(sim, node, vmid, GuestConfig{}, conf.main, storage); !st) return fail(st.error());
      for (const auto& [k, v] : conf.main) {
        if (!IsValidDriveName(k)) continue;
        PropertyMap d = ParseDrive(v);
        if (!DriveIsCdrom(d)) ctx.Log(k + ": successfully created disk '" + d["file"] + "," + (d.contains("size") ? "size=" + d["size"] : "") + "'");
      }
      if (!conf.main.contains("boot")) {
        std::string order = DefaultBootOrder(conf.main);
        if (!order.empty()) conf.main["boot"] = order;
      }
      if (!conf.main.contains("smbios1")) conf.main["smbios1"] = "uuid=" + NewUuid();
      if (!conf.main.contains("vmgenid") || conf.main["vmgenid"] == "1") conf.main["vmgenid"] = NewUuid();
      conf.main["meta"] = "creation-qemu=" + std::string(sim.pve() == 9 ? "10.1.2" : "9.2.0") + ",ctime=" + std::to_string(Now());
      if (auto st = SaveGuest(sim, node, vmid, conf); !st) return fail(st.error());
      if (pool) {
        if (auto st = AddToPool(sim, *pool, vmid); !st) return fail(st.error());
      }
    }
    if (ha_managed) {
      ctx.Log("Add as HA resource");
      std::lock_guard<std::mutex> lock(sim.mu());
      SectionFile res = ReadSections(sim, "ha/resources.cfg", HaResourceSchema());
      if (!FindHaResource(res, "vm:" + std::to_string(vmid))) {
        res.sections.push_back({"vm", std::to_string(vmid), {{"state", start ? "started" : "stopped"}}});
        (void)WriteSections(sim, "ha/resources.cfg", res, HaResourceSchema());
      }
      return Ok();
    }
    if (start) {
      ctx.Log("Execute autostart");
      if (auto st = StartGuest(sim, ctx, node, vmid, false); !st) ctx.Log(st.error().message.substr(0, st.error().message.size() - 1));
    }
    return Ok();
  });
  return Reply(upid);
}

Result<Reply> DestroyGuest(Call& c) {
  int vmid = static_cast<int>(c.params.Int("vmid").value_or(0));
  bool purge = c.params.Bool("purge"), skiplock = c.params.Bool("skiplock");
  if (skiplock && c.caller.Userid() != "root@pam") return ParamError("skiplock", "Only root may use this option.");
  auto existing = LoadGuest(c.sim, c.node, vmid);
  if (!existing) return Fail(existing.error());
  bool ha_managed = VmIsHaManaged(c.sim, vmid);
  if (!purge && ha_managed)
    return Die("unable to remove VM " + std::to_string(vmid) + " - used in HA resources and purge parameter not set.");
  if (GuestRunning(c.sim, vmid)) return Die("VM " + std::to_string(vmid) + " is running - destroy failed");
  Simulator& sim = c.sim;
  std::string node = c.node;
  std::string upid = sim.tasks().Start(node, "qmdestroy", std::to_string(vmid), c.caller.Userid(), [&sim, node, vmid, purge, skiplock, ha_managed](TaskContext& ctx) -> Status {
    auto guard = sim.guest_locks().Acquire(vmid);
    if (!guard) return Fail(guard.error());
    auto conf = LoadGuest(sim, node, vmid);
    if (!conf) return Fail(conf.error());
    if (conf->main.contains("protection") && conf->main["protection"] == "1")
      return Die("can't remove VM " + std::to_string(vmid) + " - protection mode enabled");
    if (auto st = CheckGuestLock(*conf, skiplock); !st) return st;
    if (GuestRunning(sim, vmid)) return Die("VM " + std::to_string(vmid) + " is running - destroy failed");
    if (auto st = ctx.Work(); !st) return st;
    for (const auto& [k, v] : conf->main) {
      if (!IsValidDriveName(k) && k.rfind("unused", 0) != 0) continue;
      PropertyMap d = ParseDrive(v);
      if (!DriveIsCdrom(d)) ctx.Log("  Logical volume \"" + d["file"].substr(d["file"].find(':') + 1) + "\" successfully removed.");
    }
    (void)RemoveFromPools(sim, vmid);
    if (purge) {
      ctx.Log("purging VM " + std::to_string(vmid) + " from related configurations..");
      (void)RemoveFromBackupJobs(sim, vmid);
      if (ha_managed) {
        std::lock_guard<std::mutex> lock(sim.mu());
        (void)DeleteHaResource(sim, "vm:" + std::to_string(vmid), true);
        ctx.Log("NOTE: removed VM " + std::to_string(vmid) + " from HA resource configuration.");
      }
    }
    if (auto st = sim.fs().Remove(GuestConfPath(node, vmid)); !st) return st;
    std::lock_guard<std::mutex> lock(sim.mu());
    sim.runtime().vms.erase(vmid);
    sim.MarkDirty();
    return Ok();
  });
  return Reply(upid);
}

}  // namespace

void AddQemuRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/qemu", kProxyNode, ListGuests);
  t.Add("POST", "/nodes/{node}/qemu", kProxyNode, CreateGuest);
  t.Add("GET", "/nodes/{node}/qemu/{vmid}", kProxyNode, [](Call& c) -> Result<Reply> {
    auto conf = LoadGuest(c.sim, c.node, static_cast<int>(c.params.Int("vmid").value_or(0)));
    if (!conf) return Fail(conf.error());
    return Reply(Index({"config", "pending", "status", "unlink", "vncproxy", "termproxy", "migrate", "resize", "move",
                        "rrd", "rrddata", "monitor", "agent", "snapshot", "spiceproxy", "sendkey", "firewall",
                        "mtunnel", "remote_migrate"}, "subdir"));
  });
  t.Add("DELETE", "/nodes/{node}/qemu/{vmid}", kProxyNode, DestroyGuest);
}

}  // namespace pvesim
