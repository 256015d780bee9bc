// /nodes/{node}/lxc: the container list, creating containers from a template (vzcreate), the per-guest index,
// destroying (vzdestroy), the run state (status/current, vzstart, vzstop, vzshutdown, vzreboot), migration
// (offline, or restart mode for running containers; hamigrate for HA-managed ones) and conversion to a
// template, as pve-container's API2::LXC and API2::LXC::Status do them. A missing container is the error
// pve-container dies with when its config file is missing ("Configuration file ... does not exist").
#include <cmath>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/guest_membership.h"
#include "sim/pvesim/ha_config.h"
#include "sim/pvesim/qemu_ops.h"

namespace pvesim {

namespace {

int CtVmid(const Call& c) { return static_cast<int>(c.params.Int("vmid").value_or(0)); }

json CtUsageFields(const CtUsage& u) {
  return {{"cpu", u.cpu}, {"cpus", u.cpus}, {"maxmem", u.maxmem}, {"mem", u.mem}, {"maxswap", u.maxswap}, {"swap", 0},
          {"maxdisk", u.maxdisk}, {"disk", u.disk}, {"uptime", u.uptime}, {"netin", u.running ? 1024 * u.uptime : 0},
          {"netout", u.running ? 512 * u.uptime : 0}, {"diskread", 0}, {"diskwrite", 0},
          {"status", u.running ? "running" : "stopped"}, {"type", "lxc"}};
}

Result<Reply> ListContainers(Call& c) {
  json out = json::array();
  auto cts = CtList(c.sim);
  std::lock_guard<std::mutex> lock(c.sim.mu());
  for (const auto& [vmid, node] : cts) {
    if (node != c.node) continue;
    std::string path = CtConfPath(node, vmid);
    auto raw = c.sim.fs().Read(path);
    if (!raw) continue;
    const CtConfig& ct = *c.sim.config_cache().Ct(path, *raw);
    CtUsage u = CtUsageOf(c.sim, vmid, ct.conf.main);
    json e = CtUsageFields(u);
    e["vmid"] = std::to_string(vmid);  // pve-container lists vmids as strings
    e["name"] = CtName(ct.conf.main, vmid);
    if (u.running) e["pid"] = u.pid;
    if (ct.conf.main.contains("lock")) e["lock"] = ct.conf.main.at("lock");
    if (ct.conf.main.contains("tags")) e["tags"] = ct.conf.main.at("tags");
    if (ct.conf.main.contains("template") && ct.conf.main.at("template") == "1") e["template"] = 1;
    out.push_back(e);
  }
  return Reply(out);
}

// The OS type pve-container detects in a template (here: from the template's name).
std::string OsTypeOfTemplate(const std::string& volid) {
  std::string name = volid.substr(volid.find_last_of("/:") + 1);
  for (const char* os : {"debian", "devuan", "ubuntu", "centos", "fedora", "opensuse", "archlinux", "alpine",
                         "gentoo", "nixos"}) {
    if (name.rfind(os, 0) == 0) return os;
  }
  if (name.rfind("rockylinux", 0) == 0 || name.rfind("almalinux", 0) == 0) return "centos";
  return "unmanaged";
}

Result<Reply> CreateContainer(Call& c) {
  Params p = c.params;
  p.Take("node");
  const int vmid = static_cast<int>(p.Int("vmid").value_or(0));
  p.Take("vmid");
  const std::string emsg = "unable to create CT " + std::to_string(vmid) + " - ";
  if (p.Take("restore")) return Die("pvesim: restoring containers from backup archives is not simulated");
  auto ostemplate = p.Take("ostemplate");
  if (!ostemplate) return ParamError("ostemplate", "property is missing and it is not optional");
  for (const char* k : {"force", "unique", "ignore-unpack-errors", "bwlimit"}) p.Take(k);
  auto pool = p.Take("pool");
  const bool start = p.Bool("start");
  p.Take("start");
  const bool ha_managed = p.Bool("ha-managed");
  p.Take("ha-managed");
  const std::string storage = p.Take("storage").value_or("local");
  auto password = p.Take("password");
  auto ssh_keys = p.Take("ssh-public-keys");
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  if (pool && !PoolMembers(c.sim).contains(*pool)) return Die("pool '" + *pool + "' does not exist");
  if ((*ostemplate)[0] == '/' && c.caller.Userid() != "root@pam")
    return PermissionError("Only root can pass arbitrary filesystem paths.");
  if (auto st = CheckTemplateVolume(c.sim, *ostemplate, c.node); !st) return Fail(st.error());
  ConfigMap conf_params;
  for (const auto& key : p.Keys()) conf_params[key] = p.StrOr(key, "");
  if (!conf_params.contains("rootfs")) conf_params["rootfs"] = storage + ":4";  // pve-container's 4 GiB default
  for (auto& [key, value] : conf_params) {
    if (IsMountKey(key)) {
      PropertyMap mp = ParseMount(key, value);
      if (MountType(mp) != "volume" && c.caller.Userid() != "root@pam")
        return PermissionError("mount point type " + MountType(mp) + " is only allowed for root@pam");
    }
    if (key.rfind("net", 0) == 0 && key.size() > 3 && std::isdigit(static_cast<unsigned char>(key[3]))) value = NormalizeCtNet(value);
  }
  for (const auto& [key, value] : conf_params) {
    if (!IsMountKey(key)) continue;
    PropertyMap mp = ParseMount(key, value);
    std::string vol = mp["volume"];
    auto colon = vol.find(':');
    if (MountType(mp) == "volume" && colon != std::string::npos) {
      if (auto st = CheckRootdirStorage(c.sim, vol.substr(0, colon), c.node); !st) return Fail(st.error());
    }
  }
  {
    auto guard = c.sim.guest_locks().Acquire(vmid, std::chrono::seconds(5));
    if (!guard) return Die(emsg + guard.error().message);
    std::lock_guard<std::mutex> lock(c.sim.mu());
    if (auto st = CheckVmidUnused(c.sim, vmid); !st) return Fail(st.error());
    CtConfig placeholder;
    placeholder.conf.main["lock"] = "create";
    if (auto st = SaveCt(c.sim, c.node, vmid, placeholder); !st) return Die(emsg + st.error().message);
  }
  Simulator& sim = c.sim;
  const std::string node = c.node, tmpl = *ostemplate;
  const bool has_password = password.has_value(), has_keys = ssh_keys.has_value();
  std::string upid = sim.tasks().Start(node, "vzcreate", std::to_string(vmid), c.caller.Userid(), [&sim, node, vmid, conf_params, pool, start, ha_managed, tmpl, emsg, has_password, has_keys](TaskContext& ctx) -> Status {
    auto fail = [&](const ApiError& e) -> Status {
      (void)sim.fs().Remove(CtConfPath(node, vmid));
      return Die(emsg + e.message);
    };
    {
      auto guard = sim.guest_locks().Acquire(vmid, std::chrono::seconds(1));
      if (!guard) return fail(guard.error());
      CtConfig ct;
      ct.conf.main = conf_params;
      if (auto st = AllocateCtVolumes(sim, node, vmid, CtConfig{}, ct.conf.main, [&ctx](const std::string& l) { ctx.Log(l); }); !st)
        return fail(st.error());
      if (auto st = ctx.Work(); !st) return fail(st.error());
      ctx.Log("extracting archive '" + tmpl + "'");
      ctx.Log("Total bytes read: 524288000 (500MiB, 125MiB/s)");
      if (!ct.conf.main.contains("arch")) ct.conf.main["arch"] = "amd64";
      if (!ct.conf.main.contains("ostype")) ct.conf.main["ostype"] = OsTypeOfTemplate(tmpl);
      ctx.Log("Detected container architecture: " + ct.conf.main["arch"]);
      if (has_password) ctx.Log("Setting root password");
      if (has_keys) ctx.Log("Setting ssh public keys");
      ctx.Log("Creating SSH host key 'ssh_host_ed25519_key' - this may take some time ...");
      if (auto st = SaveCt(sim, node, vmid, ct); !st) return fail(st.error());
      if (pool) {
        if (auto st = AddToPool(sim, *pool, vmid); !st) return fail(st.error());
      }
    }
    if (ha_managed) {
      ctx.Log("Add as HA resource");
      std::lock_guard<std::mutex> lock(sim.mu());
      SectionFile res = ReadSections(sim, "ha/resources.cfg", HaResourceSchema());
      if (!FindHaResource(res, "ct:" + std::to_string(vmid))) {
        res.sections.push_back({"ct", std::to_string(vmid), {{"state", start ? "started" : "stopped"}}});
        (void)WriteSections(sim, "ha/resources.cfg", res, HaResourceSchema());
      }
      return Ok();
    }
    if (start) {
      if (auto st = StartCt(sim, ctx, node, vmid, false); !st) return st;
    }
    return Ok();
  });
  return Reply(upid);
}

Result<Reply> DestroyContainer(Call& c) {
  const int vmid = CtVmid(c);
  const bool purge = c.params.Bool("purge"), force = c.params.Bool("force");
  const bool unreferenced = c.params.Bool("destroy-unreferenced-disks");
  auto existing = LoadCt(c.sim, c.node, vmid);
  if (!existing) return Fail(existing.error());
  const bool ha_managed = CtIsHaManaged(c.sim, vmid);
  if (!purge && ha_managed)
    return Die("unable to remove CT " + std::to_string(vmid) + " - used in HA resources and purge parameter not set.");
  if (GuestRunning(c.sim, vmid) && !force) return Die("CT " + std::to_string(vmid) + " is running - destroy failed");
  Simulator& sim = c.sim;
  const std::string node = c.node;
  std::string upid = sim.tasks().Start(node, "vzdestroy", std::to_string(vmid), c.caller.Userid(), [&sim, node, vmid, purge, force, unreferenced, ha_managed](TaskContext& ctx) -> Status {
    if (force && GuestRunning(sim, vmid)) {
      if (auto st = StopCt(sim, ctx, node, vmid, true, false); !st) return st;
    }
    auto guard = sim.guest_locks().Acquire(vmid);
    if (!guard) return Fail(guard.error());
    auto ct = LoadCt(sim, node, vmid);
    if (!ct) return Fail(ct.error());
    if (ct->conf.main.contains("protection") && ct->conf.main["protection"] == "1")
      return Die("can't remove CT " + std::to_string(vmid) + " - protection mode enabled");
    if (auto st = CheckCtLock(ct->conf, false); !st) return st;
    if (GuestRunning(sim, vmid)) return Die("CT " + std::to_string(vmid) + " is running - destroy failed");
    if (auto st = ctx.Work(); !st) return st;
    for (const auto& [k, v] : ct->conf.main) {
      std::string vol = k.rfind("unused", 0) == 0 ? v : IsMountKey(k) ? ParseMount(k, v)["volume"] : "";
      if (vol.empty() || vol[0] == '/') continue;
      ctx.Log("  Logical volume \"" + vol.substr(vol.find(':') + 1) + "\" successfully removed.");
    }
    if (unreferenced) ctx.Log("no unreferenced disks found");
    (void)RemoveFromPools(sim, vmid);
    if (purge) {
      ctx.Log("purging CT " + std::to_string(vmid) + " from related configurations..");
      (void)RemoveFromBackupJobs(sim, vmid);
      if (ha_managed) {
        std::lock_guard<std::mutex> lock(sim.mu());
        (void)DeleteHaResource(sim, "ct:" + std::to_string(vmid), true);
        ctx.Log("NOTE: removed CT " + std::to_string(vmid) + " from HA resource configuration.");
      }
    }
    if (auto st = sim.fs().Remove(CtConfPath(node, vmid)); !st) return st;
    std::lock_guard<std::mutex> lock(sim.mu());
    sim.runtime().vms.erase(vmid);
    sim.MarkDirty();
    return Ok();
  });
  return Reply(upid);
}

Result<Reply> CtCurrentStatus(Call& c) {
  const int vmid = CtVmid(c);
  auto ct = LoadCt(c.sim, c.node, vmid);
  if (!ct) return Fail(ct.error());
  const std::string sid = "ct:" + std::to_string(vmid);
  json ha = {{"managed", 0}};
  SectionFile resources = ReadHaResources(c.sim);
  std::lock_guard<std::mutex> lock(c.sim.mu());
  if (const Section* r = FindHaResource(resources, sid)) {
    ha["managed"] = 1;
    ha["state"] = HaRequestState(*r);
    if (r->values.contains("group")) ha["group"] = r->values["group"];
  }
  CtUsage u = CtUsageOf(c.sim, vmid, ct->conf.main);
  json s = CtUsageFields(u);
  s["vmid"] = vmid;
  s["name"] = CtName(ct->conf.main, vmid);
  s["ha"] = ha;
  if (u.running) s["pid"] = u.pid;
  if (ct->conf.main.contains("lock")) s["lock"] = ct->conf.main["lock"];
  if (ct->conf.main.contains("tags")) s["tags"] = ct->conf.main["tags"];
  if (ct->conf.main.contains("template") && ct->conf.main["template"] == "1") s["template"] = 1;
  return Reply(s);
}

Result<Reply> HaCtRequest(Call& c, const char* type, const std::string& state, const std::string& message) {
  Simulator& sim = c.sim;
  const int vmid = CtVmid(c);
  return Reply(sim.tasks().Start(c.node, type, std::to_string(vmid), c.caller.Userid(), [&sim, vmid, state, message](TaskContext& ctx) -> Status {
    ctx.Log(message);
    auto r = SetHaRequestStateOf(sim, "ct:" + std::to_string(vmid), state);
    if (!r) return Fail(r.error());
    return Ok();
  }));
}

Result<Reply> StartContainer(Call& c) {
  if (c.params.Bool("skiplock") && c.caller.Userid() != "root@pam") return ParamError("skiplock", "Only root may use this option.");
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  const int vmid = CtVmid(c);
  auto ct = LoadCt(c.sim, c.node, vmid);
  if (!ct) return Fail(ct.error());
  if (CtIsHaManaged(c.sim, vmid))
    return HaCtRequest(c, "hastart", "started", "Requesting HA start for CT " + std::to_string(vmid));
  if (GuestRunning(c.sim, vmid)) return Die("CT " + std::to_string(vmid) + " already running");
  Simulator& sim = c.sim;
  const std::string node = c.node;
  const bool skiplock = c.params.Bool("skiplock");
  return Reply(sim.tasks().Start(node, "vzstart", std::to_string(vmid), c.caller.Userid(),
                                 [&sim, node, vmid, skiplock](TaskContext& ctx) { return StartCt(sim, ctx, node, vmid, skiplock); }));
}

Result<Reply> StopContainer(Call& c, bool shutdown) {
  if (c.params.Bool("skiplock") && c.caller.Userid() != "root@pam") return ParamError("skiplock", "Only root may use this option.");
  const int vmid = CtVmid(c);
  auto ct = LoadCt(c.sim, c.node, vmid);
  if (!ct) return Fail(ct.error());
  if (CtIsHaManaged(c.sim, vmid))
    return HaCtRequest(c, "hastop", "stopped", "Requesting HA stop for CT " + std::to_string(vmid));
  if (!GuestRunning(c.sim, vmid)) return Die("CT " + std::to_string(vmid) + " not running");
  Simulator& sim = c.sim;
  const std::string node = c.node;
  const bool skiplock = c.params.Bool("skiplock");
  return Reply(sim.tasks().Start(node, shutdown ? "vzshutdown" : "vzstop", std::to_string(vmid), c.caller.Userid(),
                                 [&sim, node, vmid, skiplock, shutdown](TaskContext& ctx) {
                                   return StopCt(sim, ctx, node, vmid, skiplock, shutdown);
                                 }));
}

Result<Reply> RebootContainer(Call& c) {
  const int vmid = CtVmid(c);
  auto ct = LoadCt(c.sim, c.node, vmid);
  if (!ct) return Fail(ct.error());
  if (!GuestRunning(c.sim, vmid)) return Die("CT " + std::to_string(vmid) + " not running");
  Simulator& sim = c.sim;
  const std::string node = c.node;
  return Reply(sim.tasks().Start(node, "vzreboot", std::to_string(vmid), c.caller.Userid(), [&sim, node, vmid](TaskContext& ctx) -> Status {
    if (auto st = StopCt(sim, ctx, node, vmid, false, true); !st) return st;
    return StartCt(sim, ctx, node, vmid, false);
  }));
}

Result<Reply> CtMigratePreconditions(Call& c) {
  const int vmid = CtVmid(c);
  auto ct = LoadCt(c.sim, c.node, vmid);
  if (!ct) return Fail(ct.error());
  auto local = CtLocalVolumes(c.sim, ct->conf.main);
  json allowed = json::array(), not_allowed = json::object();
  for (const auto& m : c.sim.facts().Cluster().members) {
    if (m.name == c.node) continue;
    std::vector<std::string> unavailable;
    for (const auto& vol : local) {
      std::string storage = vol.substr(0, vol.find(':'));
      if (!CheckRootdirStorage(c.sim, storage, m.name)) unavailable.push_back(storage);
    }
    if (unavailable.empty()) allowed.push_back(m.name);
    else not_allowed[m.name] = {{"unavailable_storages", unavailable}};
  }
  return Reply(json{{"running", GuestRunning(c.sim, vmid) ? 1 : 0}, {"allowed-nodes", allowed},
                    {"not-allowed-nodes", not_allowed}, {"dependent-ha-resources", json::array()}});
}

Result<Reply> MigrateContainer(Call& c) {
  const int vmid = CtVmid(c);
  const std::string target = c.params.StrOr("target", "");
  if (target == c.node) return ParamError("target", "target is local node.");
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  bool member = false;
  for (const auto& m : c.sim.facts().Cluster().members) member |= m.name == target;
  if (!member) return Die("no such cluster node '" + target + "'");
  auto ct = LoadCt(c.sim, c.node, vmid);
  if (!ct) return Fail(ct.error());
  const bool running = GuestRunning(c.sim, vmid);
  const bool restart = c.params.Bool("restart");
  Simulator& sim = c.sim;
  const std::string node = c.node;
  if (CtIsHaManaged(sim, vmid)) {
    // A container cannot move while running: HA relocates it (stop, move, start).
    return Reply(sim.tasks().Start(node, "hamigrate", std::to_string(vmid), c.caller.Userid(), [&sim, vmid, target](TaskContext& ctx) -> Status {
      ctx.Log("Requesting HA migration for CT " + std::to_string(vmid) + " to node " + target);
      std::lock_guard<std::mutex> lock(sim.mu());
      const std::string sid = "ct:" + std::to_string(vmid);
      sim.runtime().ha.services[sid].state = "relocate";
      sim.runtime().ha.migrate_targets[sid] = target;
      sim.runtime().ha.relocate[sid] = true;
      sim.MarkDirty();
      return Ok();
    }));
  }
  if (running && c.params.Bool("online")) return Die("lxc live migration is currently not implemented");
  if (running && !restart) return Die("CT " + std::to_string(vmid) + " is running - use restart mode to migrate it");
  return Reply(sim.tasks().Start(node, "vzmigrate", std::to_string(vmid), c.caller.Userid(),
                                 [&sim, node, target, vmid, restart](TaskContext& ctx) {
                                   return MigrateCt(sim, ctx, node, target, vmid, restart);
                                 }));
}

// POST .../template: the container becomes a template; its volumes are renamed base-<vmid>-disk-N.
Result<Reply> ConvertToTemplate(Call& c) {
  const int vmid = CtVmid(c);
  auto guard = c.sim.guest_locks().Acquire(vmid);
  if (!guard) return Fail(guard.error());
  auto ct = LoadCt(c.sim, c.node, vmid);
  if (!ct) return Fail(ct.error());
  if (auto st = CheckCtLock(ct->conf, false); !st) return Fail(st.error());
  if (ct->conf.main.contains("template") && ct->conf.main["template"] == "1")
    return Die("you can't convert a template to a template");
  if (GuestRunning(c.sim, vmid)) return Die("you can't convert a CT to template if the CT is running");
  for (auto& [k, v] : ct->conf.main) {
    if (!IsMountKey(k)) continue;
    PropertyMap mp = ParseMount(k, v);
    if (MountType(mp) != "volume") continue;
    std::string& vol = mp["volume"];
    for (const char* prefix : {"vm-", "subvol-"}) {
      auto pos = vol.find(std::string(prefix) + std::to_string(vmid) + "-disk-");
      if (pos != std::string::npos) vol.replace(pos, std::string(prefix).size(), std::string(prefix) == "vm-" ? "base-" : "basevol-");
    }
    v = PrintMount(k, mp);
  }
  ct->conf.main["template"] = "1";
  if (auto st = SaveCt(c.sim, c.node, vmid, *ct); !st) return Fail(st.error());
  return Reply(nullptr);
}

}  // namespace

void AddLxcRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/lxc", kProxyNode, ListContainers);
  t.Add("POST", "/nodes/{node}/lxc", kProxyNode, CreateContainer);
  t.Add("GET", "/nodes/{node}/lxc/{vmid}", kProxyNode, [](Call& c) -> Result<Reply> {
    if (auto ct = LoadCt(c.sim, c.node, CtVmid(c)); !ct) return Fail(ct.error());
    return Reply(Index({"config", "status", "vncproxy", "termproxy", "vncwebsocket", "spiceproxy", "migrate", "clone",
                        "rrd", "firewall", "rrddata", "snapshot", "resize", "interfaces", "pending"}, "subdir"));
  });
  t.Add("DELETE", "/nodes/{node}/lxc/{vmid}", kProxyNode, DestroyContainer);
  t.Add("GET", "/nodes/{node}/lxc/{vmid}/status", kProxyNode, [](Call& c) -> Result<Reply> {
    if (auto ct = LoadCt(c.sim, c.node, CtVmid(c)); !ct) return Fail(ct.error());
    return Reply(Index({"current", "start", "stop", "shutdown", "reboot", "suspend", "resume"}, "subdir"));
  });
  t.Add("GET", "/nodes/{node}/lxc/{vmid}/status/current", kProxyNode, CtCurrentStatus);
  t.Add("POST", "/nodes/{node}/lxc/{vmid}/status/start", kProxyNode, StartContainer);
  t.Add("POST", "/nodes/{node}/lxc/{vmid}/status/stop", kProxyNode, [](Call& c) { return StopContainer(c, false); });
  t.Add("POST", "/nodes/{node}/lxc/{vmid}/status/shutdown", kProxyNode, [](Call& c) { return StopContainer(c, true); });
  t.Add("POST", "/nodes/{node}/lxc/{vmid}/status/reboot", kProxyNode, RebootContainer);
  t.Add("GET", "/nodes/{node}/lxc/{vmid}/migrate", kProxyNode | kPve9Only, CtMigratePreconditions);  // PVE 9+
  t.Add("POST", "/nodes/{node}/lxc/{vmid}/migrate", kProxyNode, MigrateContainer);
  t.Add("POST", "/nodes/{node}/lxc/{vmid}/template", kProxyNode, ConvertToTemplate);
}

}  // namespace pvesim
