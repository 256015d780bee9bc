// /nodes/{node}/qemu/{vmid}/status/...: current status, and the power tasks (qmstart, qmstop, qmshutdown,
// qmreboot, qmreset, qmsuspend, qmresume); HA-managed guests get hastart/hastop requests instead.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ha_config.h"
#include "sim/pvesim/property_string.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/qemu_ops.h"

namespace pvesim {

namespace {

int VmidOf(const Call& c) { return static_cast<int>(c.params.Int("vmid").value_or(0)); }

Status RootOnly(const Call& c, std::initializer_list<const char*> params) {
  for (const char* p : params) {
    if (c.params.Bool(p) && c.caller.Userid() != "root@pam") return ParamError(p, "Only root may use this option.");
  }
  return Ok();
}

Result<Reply> CurrentStatus(Call& c) {
  int vmid = VmidOf(c);
  auto conf = LoadGuest(c.sim, c.node, vmid);
  if (!conf) return Fail(conf.error());
  std::string sid = "vm:" + std::to_string(vmid);
  json ha = {{"managed", 0}};
  SectionFile resources = ReadHaResources(c.sim);
  std::lock_guard<std::mutex> lock(c.sim.mu());
  if (FindHaResource(resources, sid)) {
    ha["managed"] = 1;
    auto it = c.sim.runtime().ha.services.find(sid);
    if (it != c.sim.runtime().ha.services.end()) ha["state"] = it->second.state;
  }
  GuestUsage g = GuestUsageOf(c.sim, vmid, conf->main);
  std::string qmp = "stopped";
  if (auto it = c.sim.runtime().vms.find(vmid); it != c.sim.runtime().vms.end() && it->second.running)
    qmp = it->second.qmpstatus;
  json s = {{"vmid", vmid}, {"status", g.running ? "running" : "stopped"}, {"qmpstatus", qmp},
            {"name", conf->main.contains("name") ? conf->main["name"] : "VM " + std::to_string(vmid)},
            {"uptime", g.uptime}, {"cpus", g.maxcpu}, {"cpu", g.cpu}, {"mem", g.mem}, {"maxmem", g.maxmem},
            {"maxdisk", g.maxdisk}, {"disk", 0}, {"netin", g.running ? 1024 * g.uptime : 0},
            {"netout", g.running ? 512 * g.uptime : 0}, {"diskread", g.running ? 4096 * g.uptime : 0},
            {"diskwrite", g.running ? 2048 * g.uptime : 0}, {"ha", ha}};
  if (conf->main.contains("lock")) s["lock"] = conf->main["lock"];
  if (conf->main.contains("tags")) s["tags"] = conf->main["tags"];
  if (conf->main.contains("template") && conf->main["template"] == "1") s["template"] = 1;
  if (conf->main.contains("agent")) {
    PropertyMap a = SplitLoose(conf->main["agent"]);
    std::string enabled = a.contains("enabled") ? a["enabled"] : a.contains("") ? a[""] : "0";
    if (enabled == "1") s["agent"] = 1;
  }
  if (g.running) {
    s["pid"] = g.pid;
    s["running-machine"] = "pc-i440fx-" + std::string(c.sim.pve() == 9 ? "10.1" : "9.2") + "+pve0";
    s["running-qemu"] = c.sim.pve() == 9 ? "10.1.2" : "9.2.0";
    s["balloon"] = g.maxmem;
    s["freemem"] = g.maxmem - g.mem;
    s["ballooninfo"] = {{"actual", g.maxmem}, {"max_mem", g.maxmem}, {"total_mem", g.maxmem},
                        {"free_mem", g.maxmem - g.mem}, {"last_update", Now()}, {"major_page_faults", 0},
                        {"minor_page_faults", 0}, {"mem_swapped_in", 0}, {"mem_swapped_out", 0}};
    json blockstat = json::object(), nics = json::object();
    for (const auto& [k, v] : conf->main) {
      if (IsValidDriveName(k)) blockstat[k] = {{"rd_bytes", 0}, {"wr_bytes", 0}, {"rd_operations", 0}, {"wr_operations", 0}};
      if (k.rfind("net", 0) == 0 && k.size() > 3 && std::isdigit(static_cast<unsigned char>(k[3])))
        nics["tap" + std::to_string(vmid) + "i" + k.substr(3)] = {{"netin", 1024 * g.uptime}, {"netout", 512 * g.uptime}};
    }
    s["blockstat"] = blockstat;
    s["nics"] = nics;
    s["proxmox-support"] = {{"pbs-dirty-bitmap", true}, {"pbs-dirty-bitmap-migration", true}, {"query-bitmap-info", true},
                            {"pbs-masterkey", true}, {"backup-max-workers", true}, {"pbs-dirty-bitmap-savevm", true},
                            {"pbs-library-version", c.sim.pve() == 9 ? "2.0.1 (UNKNOWN)" : "1.5.1 (UNKNOWN)"}};
  }
  return Reply(s);
}

// start/stop/shutdown of an HA-managed guest only changes its requested HA state.
Result<Reply> HaRequest(Call& c, const char* type, const std::string& state, const std::string& message) {
  Simulator& sim = c.sim;
  int vmid = VmidOf(c);
  std::string upid = sim.tasks().Start(c.node, type, std::to_string(vmid), c.caller.Userid(),
                                       [&sim, vmid, state, message](TaskContext& ctx) -> Status {
                                         ctx.Log(message);
                                         auto r = SetHaRequestState(sim, vmid, state);
                                         if (!r) return Fail(r.error());
                                         return Ok();
                                       });
  return Reply(upid);
}

Result<Reply> Start(Call& c) {
  if (auto st = RootOnly(c, {"skiplock", "migratedfrom", "stateuri", "force-cpu", "targetstorage"}); !st) return Fail(st.error());
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  int vmid = VmidOf(c);
  if (auto conf = LoadGuest(c.sim, c.node, vmid); !conf) return Fail(conf.error());
  if (VmIsHaManaged(c.sim, vmid) && !c.params.Has("stateuri"))
    return HaRequest(c, "hastart", "started", "Requesting HA start for VM " + std::to_string(vmid));
  Simulator& sim = c.sim;
  std::string node = c.node;
  bool skiplock = c.params.Bool("skiplock");
  return Reply(sim.tasks().Start(node, "qmstart", std::to_string(vmid), c.caller.Userid(),
                                 [&sim, node, vmid, skiplock](TaskContext& ctx) { return StartGuest(sim, ctx, node, vmid, skiplock); }));
}

Result<Reply> Stop(Call& c, bool shutdown) {
  if (auto st = RootOnly(c, {"skiplock", "keepActive", "migratedfrom"}); !st) return Fail(st.error());
  int vmid = VmidOf(c);
  if (auto conf = LoadGuest(c.sim, c.node, vmid); !conf) return Fail(conf.error());
  if (shutdown) {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    auto it = c.sim.runtime().vms.find(vmid);
    if (it != c.sim.runtime().vms.end() && it->second.running && it->second.qmpstatus == "paused" && !c.params.Bool("forceStop"))
      return Die("VM is paused - cannot shutdown");
  }
  if (VmIsHaManaged(c.sim, vmid) && !c.params.Has("migratedfrom")) {
    if (c.params.Bool("overrule-shutdown")) return ParamError("overrule-shutdown", "Not applicable for HA resources.");
    return HaRequest(c, "hastop", "stopped", "Requesting HA stop for VM " + std::to_string(vmid));
  }
  Simulator& sim = c.sim;
  std::string node = c.node;
  bool skiplock = c.params.Bool("skiplock");
  return Reply(sim.tasks().Start(node, shutdown ? "qmshutdown" : "qmstop", std::to_string(vmid), c.caller.Userid(),
                                 [&sim, node, vmid, skiplock, shutdown](TaskContext& ctx) {
                                   return StopGuest(sim, ctx, node, vmid, skiplock, shutdown);
                                 }));
}

// reboot, reset, suspend, resume: the guest must be running; the task changes its run state.
Result<Reply> RunStateTask(Call& c, const char* type, const std::string& action) {
  if (auto st = RootOnly(c, {"skiplock"}); !st) return Fail(st.error());
  int vmid = VmidOf(c);
  if (auto conf = LoadGuest(c.sim, c.node, vmid); !conf) return Fail(conf.error());
  if (!GuestRunning(c.sim, vmid)) return Die("VM " + std::to_string(vmid) + " not running");
  Simulator& sim = c.sim;
  std::string node = c.node;
  return Reply(sim.tasks().Start(node, type, std::to_string(vmid), c.caller.Userid(), [&sim, node, vmid, action](TaskContext& ctx) -> Status {
    if (action == "reboot") {
      if (auto st = StopGuest(sim, ctx, node, vmid, false, true); !st) return st;
      return StartGuest(sim, ctx, node, vmid, false);
    }
    auto guard = sim.guest_locks().Acquire(vmid);
    if (!guard) return Fail(guard.error());
    if (auto st = ctx.Work(); !st) return st;
    std::lock_guard<std::mutex> lock(sim.mu());
    VmRuntime& vm = sim.runtime().vms[vmid];
    if (action == "suspend") vm.qmpstatus = "paused";
    if (action == "resume") vm.qmpstatus = "running";
    if (action == "reset") vm.started = Now();
    sim.MarkDirty();
    return Ok();
  }));
}

}  // namespace

void AddQemuStatusRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/qemu/{vmid}/status", kProxyNode, [](Call& c) -> Result<Reply> {
    if (auto conf = LoadGuest(c.sim, c.node, VmidOf(c)); !conf) return Fail(conf.error());
    return Reply(Index({"current", "start", "stop", "reset", "shutdown", "suspend", "resume", "reboot"}, "subdir"));
  });
  t.Add("GET", "/nodes/{node}/qemu/{vmid}/status/current", kProxyNode, CurrentStatus);
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/status/start", kProxyNode, Start);
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/status/stop", kProxyNode, [](Call& c) { return Stop(c, false); });
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/status/shutdown", kProxyNode, [](Call& c) { return Stop(c, true); });
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/status/reboot", kProxyNode, [](Call& c) { return RunStateTask(c, "qmreboot", "reboot"); });
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/status/reset", kProxyNode, [](Call& c) { return RunStateTask(c, "qmreset", "reset"); });
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/status/suspend", kProxyNode, [](Call& c) { return RunStateTask(c, "qmsuspend", "suspend"); });
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/status/resume", kProxyNode, [](Call& c) { return RunStateTask(c, "qmresume", "resume"); });
}

}  // namespace pvesim
