// /version, /nodes, /nodes/{node}, /nodes/{node}/status and /version: what each node reports about itself.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/package_baseline.h"

namespace pvesim {

namespace {

json VersionJson(int pve) {
  const PveRelease& r = ReleaseOf(pve);
  return {{"release", r.release}, {"version", r.version}, {"repoid", r.repoid}};
}

// The nodes /nodes lists: cluster members (or the standalone local node).
std::vector<std::string> ListedNodes(Simulator& sim, const std::string& local) {
  std::vector<std::string> out;
  ClusterView view = ClusterViewFor(sim, local);
  for (const auto& m : view.members) out.push_back(m.name);
  std::sort(out.begin(), out.end());
  return out;
}

Result<Reply> NodeStatus(Call& c) {
  const PveRelease& rel = ReleaseOf(c.sim.pve());
  NodeUsage u = NodeUsageOf(c.sim, c.node);
  std::string kernel = rel.kernel, build = rel.kernel_build;
  {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    auto it = c.sim.runtime().running_kernel.find(c.node);
    if (it != c.sim.runtime().running_kernel.end() && it->second != rel.kernel) {
      kernel = it->second;
      build = "#1 SMP PREEMPT_DYNAMIC PMX " + kernel.substr(0, kernel.size() - 4);
    }
  }
  json status = {
      {"uptime", u.uptime},
      {"cpu", u.cpu},
      {"wait", 0.0002},
      {"idle", 0},
      {"loadavg", json::array({"0.12", "0.10", "0.08"})},
      {"pveversion", "pve-manager/" + rel.version + "/" + rel.repoid},
      {"kversion", "Linux " + kernel + " " + build},
      {"current-kernel", {{"sysname", "Linux"}, {"release", kernel}, {"version", build},
                          {"machine", "x86_64"}}},
      {"boot-info", {{"mode", "efi"}, {"secureboot", 0}}},
      {"cpuinfo", {{"cpus", u.maxcpu}, {"cores", u.maxcpu / 2}, {"sockets", 1}, {"model", "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz"},
                   {"mhz", "2400.000"}, {"hvm", "1"}, {"user_hz", 100}, {"flags", "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr"}}},
      {"memory", {{"total", u.maxmem}, {"used", u.mem}, {"free", u.maxmem - u.mem}, {"available", u.maxmem - u.mem}}},
      {"swap", {{"total", u.swap_total}, {"used", 0}, {"free", u.swap_total}}},
      {"ksm", {{"shared", 0}}},
      {"rootfs", {{"total", u.maxdisk}, {"used", u.disk}, {"free", u.maxdisk - u.disk}, {"avail", u.maxdisk - u.disk}}},
  };
  return Reply(status);
}

}  // namespace

void AddVersionAndNodeRoutes(RouteTable& t) {
  t.Add("GET", "/version", kNoFlags, [](Call& c) -> Result<Reply> { return Reply(VersionJson(c.sim.pve())); });
  t.Add("GET", "/nodes/{node}/version", kProxyNode, [](Call& c) -> Result<Reply> { return Reply(VersionJson(c.sim.pve())); });

  t.Add("GET", "/nodes", kNoFlags, [](Call& c) -> Result<Reply> {
    json out = json::array();
    for (const auto& node : ListedNodes(c.sim, c.local)) {
      json e = {{"id", "node/" + node}, {"node", node}, {"type", "node"}, {"ssl_fingerprint", c.sim.fingerprint()}};
      if (c.sim.facts().Online(node)) {
        NodeUsage u = NodeUsageOf(c.sim, node);
        e["status"] = "online";
        e["level"] = "";
        e["uptime"] = u.uptime;
        e["cpu"] = u.cpu;
        e["maxcpu"] = u.maxcpu;
        e["mem"] = u.mem;
        e["maxmem"] = u.maxmem;
        e["disk"] = u.disk;
        e["maxdisk"] = u.maxdisk;
      } else {
        e["status"] = "offline";
      }
      out.push_back(e);
    }
    return Reply(out);
  });

  t.Add("GET", "/nodes/{node}", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"aplinfo", "apt", "capabilities", "ceph", "certificates", "config", "disks", "dns", "firewall",
                        "hardware", "hosts", "journal", "lxc", "netstat", "network", "qemu", "query-url-metadata",
                        "replication", "report", "rrd", "rrddata", "scan", "sdn", "services", "spiceshell",
                        "startall", "status", "stopall", "storage", "subscription", "syslog", "tasks", "termproxy",
                        "time", "version", "vncshell", "vzdump", "wakeonlan"}));
  });

  t.Add("GET", "/nodes/{node}/status", kProxyNode, NodeStatus);

  // reboot/shutdown: the node drops out of the cluster (and comes back after a reboot).
  t.Add("POST", "/nodes/{node}/status", kProxyNode, [](Call& c) -> Result<Reply> {
    std::string node = c.node, command = c.params.StrOr("command", "");
    if (node == c.local) return Die("pvesim: the node serving the API cannot " + command);
    // A lab reboots the node for real (its daemons stop and start again); the simulator takes it offline.
    std::optional<Status> real = command == "reboot" ? c.sim.facts().Reboot(node) : std::nullopt;
    if (real && !*real) return Fail(real->error());
    if (!real) {
      if (auto st = c.sim.facts().SetOnline(node, false); !st) return Fail(st.error());
    }
    c.sim.MarkDirty();
    auto guests = VmList(c.sim);
    for (const auto& [vmid, on] : CtList(c.sim)) guests[vmid] = on;
    std::lock_guard<std::mutex> lock(c.sim.mu());
    // Whatever still runs on the node goes down with it (HA recovers its own guests elsewhere).
    for (const auto& [vmid, on] : guests)
      if (on == node && c.sim.runtime().vms.contains(vmid)) c.sim.runtime().vms[vmid].running = false;
    if (command == "reboot" && !real) {
      // The HA loop brings the node back (runtime().rebooting) after a few task durations.
      c.sim.runtime().rebooting[node] = NowMs() + 4 * c.sim.options().task_duration.count();
    }
    return Reply(nullptr);
  });
}

}  // namespace pvesim
