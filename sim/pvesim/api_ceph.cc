// Ceph as pve-manager's API2::Ceph serves it: pools (list, create/set/destroy tasks, status), CRUSH
// rules, OSD tree, flags and the cluster status. Ceph's state lives in the runtime state (it is not in
// /etc/pve); a world without --ceph answers like a node without Ceph installed.
#include <set>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/property_string.h"
#include "sim/pvesim/storage_config.h"

namespace pvesim {

namespace {

Status CheckCeph(Simulator& sim) {
  std::lock_guard<std::mutex> lock(sim.mu());
  if (!sim.runtime().ceph.initialized) return Die("binary not installed: /usr/bin/ceph-mon");
  return Ok();
}

const char* kFlags[] = {"nobackfill", "nodeep-scrub", "nodown", "noin", "noout", "norebalance", "norecover", "noscrub",
                        "notieragent", "noup", "pause"};

uint64_t PoolBytesUsed(const std::string& name) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return name == ".mgr" ? 1u << 20 : (h % 64) << 30;
}

json PoolListEntry(const std::string& name, const json& p) {
  int pg_num = p.value("pg_num", 128);
  uint64_t used = PoolBytesUsed(name);
  double percent = static_cast<double>(used) / static_cast<double>(12ull << 40);
  json entry = {{"pool", std::to_string(p.value("id", 0))},
                {"pool_name", name},
                {"size", p.value("size", 3)},
                {"min_size", p.value("min_size", 2)},
                {"pg_num", pg_num},
                {"pg_num_min", p.contains("pg_num_min") ? p["pg_num_min"] : json(nullptr)},
                {"pg_num_final", pg_num},
                {"pg_autoscale_mode", p.value("pg_autoscale_mode", "warn")},
                {"crush_rule", "0"},
                {"crush_rule_name", p.value("crush_rule", "replicated_rule")},
                {"type", "replicated"},
                {"bytes_used", used},
                {"percent_used", percent},
                {"target_size", p.contains("target_size") ? p["target_size"] : json(nullptr)},
                {"target_size_ratio", p.contains("target_size_ratio") ? p["target_size_ratio"] : json(nullptr)},
                {"application_metadata", {{p.value("application", "rbd"), json::object()}}},
                {"autoscale_status",
                 {{"pool_name", name}, {"pool_id", p.value("id", 0)}, {"pg_num_target", pg_num}, {"pg_num_final", pg_num},
                  {"pg_num_ideal", pg_num}, {"pg_autoscale_mode", p.value("pg_autoscale_mode", "warn")}, {"bulk", false},
                  {"raw_used", used * p.value("size", 3)}, {"raw_used_rate", p.value("size", 3)}, {"logical_used", used},
                  {"actual_raw_used", used * p.value("size", 3)}, {"capacity_ratio", percent},
                  {"actual_capacity_ratio", percent}, {"effective_target_ratio", 0}, {"target_ratio", 0},
                  {"target_bytes", 0}, {"bias", 1}, {"would_adjust", false}, {"crush_root_id", -1},
                  {"subtree_capacity", 12ull << 40}}}};
  return entry;
}

json PoolStatus(const std::string& name, const json& p) {
  auto flag = [](bool v) { return v ? "1" : "0"; };
  json s = {{"id", p.value("id", 0)},
            {"name", name},
            {"size", p.value("size", 3)},
            {"min_size", p.value("min_size", 2)},
            {"pg_num", p.value("pg_num", 128)},
            {"pgp_num", p.value("pg_num", 128)},
            {"pg_num_min", p.contains("pg_num_min") ? p["pg_num_min"] : json(nullptr)},
            {"pg_autoscale_mode", p.value("pg_autoscale_mode", "warn")},
            {"crush_rule", p.value("crush_rule", "replicated_rule")},
            {"target_size", p.contains("target_size") ? p["target_size"] : json(nullptr)},
            {"target_size_ratio", p.contains("target_size_ratio") ? p["target_size_ratio"] : json(nullptr)},
            {"nodelete", flag(false)}, {"nopgchange", flag(false)}, {"nosizechange", flag(false)},
            {"noscrub", flag(false)}, {"nodeep-scrub", flag(false)}, {"hashpspool", flag(true)},
            {"fast_read", flag(false)}, {"use_gmt_hitset", flag(true)}, {"write_fadvise_dontneed", flag(false)}};
  return s;
}

// The pool settings a create/set request carries.
void ApplyPoolParams(json& pool, const Params& p) {
  for (const char* k : {"size", "min_size", "pg_num", "pg_num_min"})
    if (p.Has(k)) pool[k] = p.Int(k).value_or(0);
  for (const char* k : {"pg_autoscale_mode", "application", "crush_rule", "target_size"})
    if (p.Has(k)) pool[k] = p.StrOr(k, "");
  if (p.Has("target_size_ratio")) pool["target_size_ratio"] = std::stod(p.StrOr("target_size_ratio", "0"));
}

Result<Reply> CreatePool(Call& c) {
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
  std::string name = c.params.StrOr("name", "");
  bool add_storages = c.params.Bool("add_storages");
  if (add_storages && CheckNamedFormat("pve-storage-id", name))
    return Die("pool name contains characters which are illegal for storage naming");
  if (c.params.Has("erasure-coding")) return Die("pvesim: erasure coded pools are not simulated");
  Params p = c.params;
  if (!p.Has("pg_num")) p.Set("pg_num", "128");
  if (!p.Has("size")) p.Set("size", "3");
  if (!p.Has("min_size")) p.Set("min_size", "2");
  if (!p.Has("application")) p.Set("application", "rbd");
  if (!p.Has("pg_autoscale_mode")) p.Set("pg_autoscale_mode", "warn");
  Simulator& sim = c.sim;
  return Reply(sim.tasks().Start(c.node, "cephcreatepool", name, c.caller.Userid(), [&sim, name, p, add_storages](TaskContext& ctx) -> Status {
    if (auto st = ctx.Work(); !st) return st;
    std::lock_guard<std::mutex> lock(sim.mu());
    CephState& ceph = sim.runtime().ceph;
    json pool = ceph.pools.contains(name) ? ceph.pools[name] : json{{"id", ceph.next_pool_id++}};
    if (ceph.pools.contains(name)) ctx.Log("pool '" + name + "' already exists");
    ApplyPoolParams(pool, p);
    ceph.pools[name] = pool;
    for (const char* k : {"size", "min_size", "pg_num", "pg_autoscale_mode", "application"})
      ctx.Log(std::string("pool ") + name + ": applying " + k + " = " + ScalarText(pool[k]));
    sim.MarkDirty();
    if (add_storages) {
      SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
      if (!cfg.Find(name)) {
        cfg.sections.push_back({"rbd", name, {{"content", "images,rootdir"}, {"krbd", 0}, {"pool", name}}});
        if (auto st = WriteSections(sim, "storage.cfg", cfg, StorageSchema()); !st)
          return Die("adding PVE storage for ceph pool '" + name + "' failed: " + st.error().message);
      }
    }
    return Ok();
  }));
}

Result<Reply> SetPool(Call& c) {
  if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
  std::string name = c.params.StrOr("name", "");
  Simulator& sim = c.sim;
  Params p = c.params;
  return Reply(sim.tasks().Start(c.node, "cephsetpool", name, c.caller.Userid(), [&sim, name, p](TaskContext& ctx) -> Status {
    if (auto st = ctx.Work(); !st) return st;
    std::lock_guard<std::mutex> lock(sim.mu());
    CephState& ceph = sim.runtime().ceph;
    if (!ceph.pools.contains(name)) return Die("pool '" + name + "' does not exist");
    ApplyPoolParams(ceph.pools[name], p);
    sim.MarkDirty();
    return Ok();
  }));
}

Result<Reply> DestroyPool(Call& c) {
  if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
  std::string name = c.params.StrOr("name", "");
  bool force = c.params.Bool("force"), remove_storages = c.params.Bool("remove_storages");
  Simulator& sim = c.sim;
  return Reply(sim.tasks().Start(c.node, "cephdestroypool", name, c.caller.Userid(), [&sim, name, force, remove_storages](TaskContext& ctx) -> Status {
    SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
    std::vector<std::string> storages;
    for (const auto& s : cfg.sections)
      if (s.type == "rbd" && s.values.value("pool", s.id) == name) storages.push_back(s.id);
    if (!force) {
      for (const auto& sid : storages) {
        ctx.Log("checking storage '" + sid + "' for RBD images..");
        for (const auto& [vmid, node] : VmList(sim)) {
          auto conf = LoadGuest(sim, node, vmid);
          if (!conf) continue;
          for (const auto& [k, v] : conf->main)
            if (v.rfind(sid + ":", 0) == 0) return Die("ceph pool '" + name + "' still in use by storage '" + sid + "'");
        }
      }
    }
    if (auto st = ctx.Work(); !st) return st;
    std::lock_guard<std::mutex> lock(sim.mu());
    if (!sim.runtime().ceph.pools.contains(name)) return Die("pool '" + name + "' does not exist");
    sim.runtime().ceph.pools.erase(name);
    sim.MarkDirty();
    if (remove_storages) {
      for (const auto& sid : storages) cfg.Remove(sid);
      if (auto st = WriteSections(sim, "storage.cfg", cfg, StorageSchema()); !st)
        return Die("failed to remove (some) storages - check log and remove manually!");
    }
    return Ok();
  }));
}

json CephStatus(Simulator& sim) {
  std::lock_guard<std::mutex> lock(sim.mu());
  const CephState& ceph = sim.runtime().ceph;
  ClusterView view = sim.facts().Cluster();
  json mons = json::array(), quorum = json::array(), names = json::array();
  int rank = 0, osds = 0, up = 0;
  for (const auto& m : ceph.mons) {
    bool online = sim.facts().Online(m);
    std::string addr = sim.facts().Address(m);
    mons.push_back({{"rank", rank}, {"name", m}, {"addr", addr + ":6789/0"}, {"priority", 0}, {"weight", 0},
                    {"public_addrs", {{"addrvec", json::array({{{"type", "v2"}, {"addr", addr + ":3300"}, {"nonce", 0}},
                                                              {{"type", "v1"}, {"addr", addr + ":6789"}, {"nonce", 0}}})}}},
                    {"crush_location", "{}"}});
    if (online) {
      quorum.push_back(rank);
      names.push_back(m);
    }
    ++rank;
  }
  // OSD ids are numbered node by node in member order (as OsdTree lists them).
  int id = 0, in = 0;
  std::vector<std::string> hosts_down;
  for (const auto& m : view.members) {
    osds += ceph.osds_per_node;
    if (m.online) up += ceph.osds_per_node;
    else hosts_down.push_back(m.name);
    for (int i = 0; i < ceph.osds_per_node; ++i, ++id) in += ceph.out_osds.contains(id) ? 0 : 1;
  }
  json checks = json::object();
  auto warn = [&checks](const std::string& name, const std::string& message, int count) {
    checks[name] = {{"severity", "HEALTH_WARN"}, {"summary", {{"message", message}, {"count", count}}}, {"muted", false}};
  };
  // Ceph's health checks for what the simulator models: cluster flags, OSDs and hosts down, PGs degraded.
  std::string set_flags;
  int flag_count = 0;
  for (const auto& [flag, on] : ceph.flags.items()) {
    if (!on.is_boolean() || !on.get<bool>()) continue;
    set_flags += (set_flags.empty() ? "" : ",") + flag;
    ++flag_count;
  }
  if (flag_count) warn("OSDMAP_FLAGS", set_flags + " flag(s) set", flag_count);
  if (up < osds) warn("OSD_DOWN", std::to_string(osds - up) + " osds down", osds - up);
  if (!hosts_down.empty()) warn("OSD_HOST_DOWN", std::to_string(hosts_down.size()) + " host (" +
                                std::to_string(osds - up) + " osds) down", static_cast<int>(hosts_down.size()));
  if (names.size() < ceph.mons.size())
    warn("MON_DOWN", std::to_string(ceph.mons.size() - names.size()) + "/" + std::to_string(ceph.mons.size()) +
         " mons down, quorum " + names.dump(), static_cast<int>(ceph.mons.size() - names.size()));
  const bool degraded = osds > 0 && (up < osds || in < osds);
  const bool healthy = checks.empty();
  uint64_t used = 0;
  for (const auto& [name, p] : ceph.pools.items()) used += PoolBytesUsed(name) * p.value("size", 3);
  int pgs = 0;
  for (const auto& [name, p] : ceph.pools.items()) pgs += p.value("pg_num", 128);
  uint64_t total = static_cast<uint64_t>(osds) * (1ull << 40);
  // With OSDs down or out, the PGs that had a copy there run undersized and degraded (every third, as a
  // size-3 pool over the hosts would); the rest stay clean.
  json pgs_by_state = json::array();
  const int degraded_pgs = degraded ? std::max(1, pgs / 3) : 0;
  if (degraded_pgs > 0) {
    pgs_by_state.push_back({{"state_name", "active+undersized+degraded"}, {"count", degraded_pgs}});
    warn("PG_DEGRADED", "Degraded data redundancy: " + std::to_string(degraded_pgs) + " pgs degraded", degraded_pgs);
  }
  if (pgs - degraded_pgs > 0) pgs_by_state.push_back({{"state_name", "active+clean"}, {"count", pgs - degraded_pgs}});
  return {
      {"fsid", ceph.fsid},
      {"health", {{"status", healthy && degraded_pgs == 0 ? "HEALTH_OK" : "HEALTH_WARN"}, {"checks", checks}, {"mutes", json::array()}}},
      {"election_epoch", 12},
      {"quorum", quorum},
      {"quorum_names", names},
      {"quorum_age", 86400},
      {"monmap", {{"epoch", static_cast<int>(ceph.mons.size())}, {"fsid", ceph.fsid}, {"modified", "2025-01-01T00:00:00.000000Z"},
                  {"created", "2025-01-01T00:00:00.000000Z"}, {"min_mon_release", 19}, {"min_mon_release_name", "squid"},
                  {"election_strategy", 1}, {"disallowed_leaders: ", ""}, {"stretch_mode", false}, {"tiebreaker_mon", ""},
                  {"removed_ranks: ", ""}, {"features", {{"persistent", json::array({"kraken", "luminous", "mimic", "osdmap-prune", "nautilus", "octopus", "pacific", "elector-pinging", "quincy", "reef", "squid"})}, {"optional", json::array()}}},
                  {"mons", mons}, {"quorum", quorum}}},
      {"osdmap", {{"epoch", 100 + osds}, {"num_osds", osds}, {"num_up_osds", up}, {"osd_up_since", Now() - 86400},
                  {"num_in_osds", in}, {"osd_in_since", Now() - 86400}, {"num_remapped_pgs", 0}}},
      {"pgmap", {{"pgs_by_state", pgs_by_state}, {"num_pgs", pgs},
                 {"num_pools", static_cast<int>(ceph.pools.size())}, {"num_objects", used / (4u << 20)},
                 {"data_bytes", used / 3}, {"bytes_used", used}, {"bytes_avail", total > used ? total - used : 0},
                 {"bytes_total", total}, {"read_bytes_sec", 0}, {"write_bytes_sec", 0}, {"read_op_per_sec", 0},
                 {"write_op_per_sec", 0}}},
      {"fsmap", {{"epoch", 1}, {"by_rank", json::array()}, {"up:standby", 0}}},
      {"mgrmap", {{"available", true}, {"num_standbys", std::max<int>(0, static_cast<int>(ceph.mons.size()) - 1)},
                  {"modules", json::array({"iostat", "nfs", "restful"})}, {"services", json::object()}}},
      {"servicemap", {{"epoch", 1}, {"modified", "2025-01-01T00:00:00.000000+0000"}, {"services", json::object()}}},
      {"progress_events", json::object()},
  };
}

Result<Reply> OsdTree(Call& c) {
  if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
  ClusterView view = c.sim.facts().Cluster();
  json hosts = json::array();
  int id = 0, host_id = -2;
  int per = 0;
  std::set<int> out_osds;
  json flags = json::object();
  {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    per = c.sim.runtime().ceph.osds_per_node;
    out_osds = c.sim.runtime().ceph.out_osds;
    flags = c.sim.runtime().ceph.flags;
  }
  for (const auto& m : view.members) {
    json osds = json::array();
    for (int i = 0; i < per; ++i, ++id) {
      osds.push_back({{"id", id}, {"name", "osd." + std::to_string(id)}, {"type", "osd"}, {"host", m.name},
                      {"status", m.online ? "up" : "down"}, {"in", out_osds.contains(id) ? 0 : 1}, {"crush_weight", 1.0}, {"device_class", "ssd"},
                      {"leaf", 1}, {"percent_used", 5.0}, {"total_space", 1ull << 40}});
    }
    hosts.push_back({{"id", host_id--}, {"name", m.name}, {"type", "host"}, {"children", osds}});
  }
  std::string flag_list;
  for (const auto& [flag, on] : flags.items())
    if (on.is_boolean() && on.get<bool>()) flag_list += (flag_list.empty() ? "" : ",") + flag;
  return Reply(json{{"root", {{"id", -1}, {"name", "default"}, {"type", "root"}, {"leaf", 0}, {"children", hosts}}},
                    {"flags", flag_list}});
}

// POST /nodes/{node}/ceph/osd/{osdid}/in|out: `ceph osd in|out osd.N` (synchronous in Proxmox, returns null).
Result<Reply> MarkOsd(Call& c, bool in) {
  if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
  int osd = std::atoi(c.params.StrOr("osdid", "-1").c_str());
  ClusterView view = c.sim.facts().Cluster();
  std::lock_guard<std::mutex> lock(c.sim.mu());
  CephState& ceph = c.sim.runtime().ceph;
  if (osd < 0 || osd >= ceph.osds_per_node * static_cast<int>(view.members.size()))
    return Die("osd." + std::to_string(osd) + " does not exist");
  if (in) ceph.out_osds.erase(osd); else ceph.out_osds.insert(osd);
  c.sim.MarkDirty();
  return Reply(nullptr);
}

}  // namespace

void AddCephRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/ceph/pool", kProxyNode, [](Call& c) -> Result<Reply> {
    if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
    std::lock_guard<std::mutex> lock(c.sim.mu());
    json out = json::array();
    for (const auto& [name, p] : c.sim.runtime().ceph.pools.items()) out.push_back(PoolListEntry(name, p));
    return Reply(out);
  });
  t.Add("POST", "/nodes/{node}/ceph/pool", kProxyNode, CreatePool);
  t.Add("GET", "/nodes/{node}/ceph/pool/{name}", kNoFlags, [](Call& c) -> Result<Reply> {
    if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
    return Reply(Index({"status"}));
  });
  t.Add("PUT", "/nodes/{node}/ceph/pool/{name}", kProxyNode, SetPool);
  t.Add("DELETE", "/nodes/{node}/ceph/pool/{name}", kProxyNode, DestroyPool);
  t.Add("GET", "/nodes/{node}/ceph/pool/{name}/status", kProxyNode, [](Call& c) -> Result<Reply> {
    if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
    std::string name = c.params.StrOr("name", "");
    std::lock_guard<std::mutex> lock(c.sim.mu());
    const json& pools = c.sim.runtime().ceph.pools;
    if (!pools.contains(name)) return Die("pool '" + name + "' does not exist");
    json s = PoolStatus(name, pools[name]);
    s["application"] = pools[name].value("application", "rbd");
    s["application_list"] = json::array({pools[name].value("application", "rbd")});
    if (c.params.Bool("verbose"))
      s["statistics"] = {{"bytes_used", PoolBytesUsed(name)}, {"max_avail", 4ull << 40}, {"objects", 0}, {"percent_used", 0.01}};
    return Reply(s);
  });
  t.Add("GET", "/nodes/{node}/ceph/rules", kProxyNode, [](Call& c) -> Result<Reply> {
    if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
    return Reply(json::array({{{"name", "replicated_rule"}}}));
  });
  t.Add("GET", "/nodes/{node}/ceph/osd", kProxyNode, OsdTree);
  t.Add("POST", "/nodes/{node}/ceph/osd/{osdid}/in", kProxyNode, [](Call& c) { return MarkOsd(c, true); });
  t.Add("POST", "/nodes/{node}/ceph/osd/{osdid}/out", kProxyNode, [](Call& c) { return MarkOsd(c, false); });
  t.Add("GET", "/nodes/{node}/ceph/status", kProxyNode, [](Call& c) -> Result<Reply> {
    if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
    return Reply(CephStatus(c.sim));
  });
  t.Add("GET", "/cluster/ceph", kNoFlags, [](Call&) -> Result<Reply> { return Reply(Index({"metadata", "status", "flags"})); });
  t.Add("GET", "/cluster/ceph/status", kNoFlags, [](Call& c) -> Result<Reply> {
    if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
    return Reply(CephStatus(c.sim));
  });
  t.Add("GET", "/cluster/ceph/flags", kNoFlags, [](Call& c) -> Result<Reply> {
    if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
    std::lock_guard<std::mutex> lock(c.sim.mu());
    json out = json::array();
    for (const char* f : kFlags)
      out.push_back({{"name", f}, {"value", c.sim.runtime().ceph.flags.value(f, false) ? 1 : 0},
                     {"description", std::string("Ceph OSD flag '") + f + "'"}});
    return Reply(out);
  });
  t.Add("PUT", "/cluster/ceph/flags", kNoFlags, [](Call& c) -> Result<Reply> {
    if (auto st = CheckCeph(c.sim); !st) return Fail(st.error());
    Simulator& sim = c.sim;
    Params p = c.params;
    return Reply(sim.tasks().Start(c.local, "cephsetflags", "", c.caller.Userid(), [&sim, p](TaskContext& ctx) -> Status {
      if (auto st = ctx.Work(); !st) return st;
      std::lock_guard<std::mutex> lock(sim.mu());
      for (const char* f : kFlags)
        if (p.Has(f)) sim.runtime().ceph.flags[f] = p.Bool(f);
      sim.MarkDirty();
      return Ok();
    }));
  });
}

}  // namespace pvesim
