// /cluster, /cluster/status (quorum from online nodes and votes), /cluster/resources, /cluster/nextid,
// /cluster/tasks.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/sdn_config.h"
#include "sim/pvesim/storage_config.h"

namespace pvesim {

namespace {

Result<Reply> ClusterStatus(Call& c) {
  ClusterView view = ClusterViewFor(c.sim, c.local);
  json out = json::array();
  if (view.clustered) {
    out.push_back({{"id", "cluster"}, {"name", view.name}, {"type", "cluster"},
                   {"nodes", static_cast<int>(view.members.size())}, {"version", view.config_version},
                   {"quorate", view.quorate ? 1 : 0}});
  }
  for (const auto& m : view.members) {
    out.push_back({{"id", "node/" + m.name}, {"name", m.name}, {"type", "node"}, {"nodeid", m.nodeid},
                   {"ip", m.ip}, {"local", m.local ? 1 : 0}, {"online", m.online ? 1 : 0}, {"level", ""}});
  }
  return Reply(out);
}

// HA state of a guest as /cluster/resources shows it (manager status first, else the configured state).
std::string HaState(Simulator& sim, const std::string& sid, const SectionFile& resources) {
  auto it = sim.runtime().ha.services.find(sid);
  if (it != sim.runtime().ha.services.end() && !it->second.state.empty()) return it->second.state;
  auto colon = sid.find(':');
  const Section* s = resources.Find(sid.substr(colon + 1));
  if (s && s->type == sid.substr(0, colon)) return s->values.value("state", "started");
  return "";
}

Result<Reply> ClusterResources(Call& c) {
  std::string type = c.params.StrOr("type", "");
  json out = json::array();
  ClusterView view = ClusterViewFor(c.sim, c.local);
  std::vector<std::string> nodes;
  for (const auto& m : view.members) nodes.push_back(m.name);
  std::sort(nodes.begin(), nodes.end());
  auto pools = PoolMembers(c.sim);
  std::map<int, std::string> pool_of;
  for (const auto& [pool, vmids] : pools)
    for (int vmid : vmids) pool_of[vmid] = pool;
  std::map<std::string, json> pool_entries;
  if (type.empty() || type == "pool") {
    for (const auto& [pool, vmids] : pools) pool_entries[pool] = {{"id", "/pool/" + pool}, {"pool", pool}, {"type", "pool"}};
  }
  if (type.empty() || type == "vm") {
    SectionFile ha = ReadSections(c.sim, "ha/resources.cfg", SectionSchema{});
    auto vms = VmList(c.sim);
    auto cts = CtList(c.sim);
    std::lock_guard<std::mutex> lock(c.sim.mu());
    for (const auto& [vmid, node] : vms) {
      std::string path = GuestConfPath(node, vmid);
      auto raw = c.sim.fs().Read(path);
      if (!raw) continue;
      const GuestConfig& conf = *c.sim.config_cache().Guest(path, *raw);
      GuestUsage g = GuestUsageOf(c.sim, vmid, conf.main);
      bool reachable = c.sim.facts().Online(node);
      json e = {{"id", "qemu/" + std::to_string(vmid)}, {"vmid", vmid}, {"node", node}, {"type", "qemu"},
                {"status", !reachable ? "unknown" : g.running ? "running" : "stopped"},
                {"name", conf.main.contains("name") ? conf.main.at("name") : "VM " + std::to_string(vmid)},
                {"template", conf.main.contains("template") && conf.main.at("template") == "1" ? 1 : 0},
                {"uptime", g.uptime}, {"maxcpu", g.maxcpu}, {"cpu", g.cpu}, {"maxmem", g.maxmem}, {"mem", g.mem},
                {"maxdisk", g.maxdisk}, {"disk", 0}, {"netin", g.running ? 1024 * g.uptime : 0},
                {"netout", g.running ? 512 * g.uptime : 0}, {"diskread", g.running ? 4096 * g.uptime : 0},
                {"diskwrite", g.running ? 2048 * g.uptime : 0}};
      if (c.sim.pve() == 9) e["memhost"] = g.mem;
      if (conf.main.contains("lock")) e["lock"] = conf.main.at("lock");
      if (conf.main.contains("tags")) e["tags"] = conf.main.at("tags");
      if (pool_of.contains(vmid)) {
        e["pool"] = pool_of[vmid];
        auto pool_entry = pool_entries.find(pool_of[vmid]);
        if (pool_entry != pool_entries.end() && g.uptime > 0) {
          json& pe = pool_entry->second;
          pe["uptime"] = std::max<int64_t>(pe.value("uptime", int64_t{0}), g.uptime);
          pe["mem"] = pe.value("mem", uint64_t{0}) + g.mem;
          pe["maxmem"] = pe.value("maxmem", uint64_t{0}) + g.maxmem;
          pe["maxcpu"] = pe.value("maxcpu", 0) + g.maxcpu;
          pe["cpu"] = g.cpu;
        }
      }
      std::string hastate = HaState(c.sim, "vm:" + std::to_string(vmid), ha);
      if (!hastate.empty()) e["hastate"] = hastate;
      out.push_back(e);
    }
    for (const auto& [vmid, node] : cts) {
      std::string path = CtConfPath(node, vmid);
      auto raw = c.sim.fs().Read(path);
      if (!raw) continue;
      const CtConfig& ct = *c.sim.config_cache().Ct(path, *raw);
      CtUsage u = CtUsageOf(c.sim, vmid, ct.conf.main);
      bool reachable = c.sim.facts().Online(node);
      json e = {{"id", "lxc/" + std::to_string(vmid)}, {"vmid", vmid}, {"node", node}, {"type", "lxc"},
                {"status", !reachable ? "unknown" : u.running ? "running" : "stopped"},
                {"name", CtName(ct.conf.main, vmid)},
                {"template", ct.conf.main.contains("template") && ct.conf.main.at("template") == "1" ? 1 : 0},
                {"uptime", u.uptime}, {"maxcpu", u.cpus}, {"cpu", u.cpu}, {"maxmem", u.maxmem}, {"mem", u.mem},
                {"maxdisk", u.maxdisk}, {"disk", u.disk}, {"netin", u.running ? 1024 * u.uptime : 0},
                {"netout", u.running ? 512 * u.uptime : 0}, {"diskread", 0}, {"diskwrite", 0}};
      if (c.sim.pve() == 9) e["memhost"] = u.mem;
      if (ct.conf.main.contains("lock")) e["lock"] = ct.conf.main.at("lock");
      if (ct.conf.main.contains("tags")) e["tags"] = ct.conf.main.at("tags");
      if (pool_of.contains(vmid)) e["pool"] = pool_of[vmid];
      std::string hastate = HaState(c.sim, "ct:" + std::to_string(vmid), ha);
      if (!hastate.empty()) e["hastate"] = hastate;
      out.push_back(e);
    }
    std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) { return a["vmid"] < b["vmid"]; });
  }
  json result = json::array();
  for (auto& [pool, e] : pool_entries) result.push_back(e);
  for (auto& e : out) result.push_back(e);
  if (type.empty() || type == "node") {
    for (const auto& node : nodes) {
      json e = {{"id", "node/" + node}, {"node", node}, {"type", "node"}, {"level", ""}};
      if (c.sim.facts().Online(node)) {
        NodeUsage u = NodeUsageOf(c.sim, node);
        e.update({{"status", "online"}, {"uptime", u.uptime}, {"cpu", u.cpu}, {"maxcpu", u.maxcpu}, {"mem", u.mem},
                  {"maxmem", u.maxmem}, {"disk", u.disk}, {"maxdisk", u.maxdisk}, {"cgroup-mode", 2}});
      } else {
        e["status"] = "offline";
      }
      result.push_back(e);
    }
  }
  if (type.empty() || type == "storage") {
    SectionFile storage = ReadSections(c.sim, "storage.cfg", StorageSchema());
    for (const auto& s : storage.sections) {
      for (const auto& node : nodes) {
        if (!StorageEnabledOn(s, node)) continue;
        json e = {{"id", "storage/" + node + "/" + s.id}, {"storage", s.id}, {"node", node}, {"type", "storage"},
                  {"plugintype", s.type}, {"shared", s.values.value("shared", 0)},
                  {"content", s.values.value("content", "")}};
        if (c.sim.facts().Online(node)) {
          StorageUsage u = StorageUsageOf(s, node);
          e.update({{"status", "available"}, {"maxdisk", u.total}, {"disk", u.used}});
        } else {
          e["status"] = "unknown";
        }
        result.push_back(e);
      }
    }
  }
  if (type.empty() || type == "sdn") {
    // PVE 8 nodes report their zones as "sdn" entries; PVE 9 nodes report "network" entries instead.
    if (c.sim.pve() == 8) {
      for (const auto& node : nodes) {
        if (!c.sim.facts().Online(node)) continue;
        result.push_back({{"id", "sdn/" + node + "/localnetwork"}, {"sdn", "localnetwork"}, {"node", node},
                          {"type", "sdn"}, {"status", "ok"}});
        for (const auto& zone : SdnRunningZones(c.sim)) {
          result.push_back({{"id", "sdn/" + node + "/" + zone.first}, {"sdn", zone.first}, {"node", node},
                            {"type", "sdn"}, {"status", "ok"}, {"zone-type", zone.second}});
        }
      }
    }
  }
  if (c.sim.pve() == 9 && (type.empty() || type == "network")) {
    for (const auto& node : nodes) {
      result.push_back({{"id", "network/" + node + "/zone/localnetwork"}, {"type", "network"},
                        {"network-type", "zone"}, {"network", "localnetwork"}, {"node", node}, {"status", "ok"}});
    }
    for (const auto& node : nodes) {
      if (!c.sim.facts().Online(node)) continue;
      for (const auto& zone : SdnRunningZones(c.sim)) {
        result.push_back({{"id", "network/" + node + "/zone/" + zone.first}, {"type", "network"},
                          {"network-type", "zone"}, {"network", zone.first}, {"node", node}, {"status", "available"},
                          {"zone-type", zone.second}});
      }
    }
  }
  return Reply(result);
}

Result<Reply> NextId(Call& c) {
  auto vms = VmList(c.sim);
  for (const auto& [vmid, node] : CtList(c.sim)) vms[vmid] = node;
  if (auto vmid = c.params.Int("vmid")) {
    if (vms.contains(static_cast<int>(*vmid))) return ParamError("vmid", "VM " + std::to_string(*vmid) + " already exists");
    return Reply(std::to_string(*vmid));
  }
  for (int i = 100; i < 1000000; ++i)
    if (!vms.contains(i)) return Reply(std::to_string(i));
  return Die("unable to get any free VMID in range [100, 1000000]");
}

}  // namespace

void AddClusterStatusRoutes(RouteTable& t) {
  t.Add("GET", "/cluster", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"log", "options", "resources", "replication", "tasks", "backup", "ha", "status", "sdn",
                        "nextid", "config", "acme", "ceph", "jobs", "mapping", "metrics", "notifications",
                        "firewall", "backup-info", "bulk-action"}));
  });
  t.Add("GET", "/cluster/status", kNoFlags, ClusterStatus);
  t.Add("GET", "/cluster/resources", kNoFlags, ClusterResources);
  t.Add("GET", "/cluster/nextid", kNoFlags, NextId);
  t.Add("GET", "/cluster/tasks", kNoFlags, [](Call& c) -> Result<Reply> {
    auto all = c.sim.tasks().ListAll();
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.starttime > b.starttime; });
    json out = json::array();
    for (size_t i = 0; i < all.size() && i < 100; ++i) {
      json e = TaskListEntryJson(all[i]);
      e["saved"] = all[i].running ? "0" : "1";
      out.push_back(e);
    }
    return Reply(out);
  });
}

}  // namespace pvesim
