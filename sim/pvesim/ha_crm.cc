// One round of the simulated HA stack (see ha_manager.h): the CRM's decisions and the LRMs' tasks.
#include <set>
#include <sstream>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/ha_config.h"
#include "sim/pvesim/ha_manager.h"
#include "sim/pvesim/package_baseline.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/qemu_ops.h"

namespace pvesim {

namespace {

// Nodes asked to reboot come back when their time is up.
void FinishReboots(Simulator& sim) {
  std::vector<std::string> back;
  {
    std::lock_guard<std::mutex> lock(sim.mu());
    int64_t now = NowMs();
    for (auto it = sim.runtime().rebooting.begin(); it != sim.runtime().rebooting.end();) {
      if (it->second <= now) {
        back.push_back(it->first);
        it = sim.runtime().rebooting.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const auto& node : back) {
    (void)sim.facts().SetOnline(node, true);
    // The node boots the newest kernel installed (what the boot loader lists first).
    std::string kernel = NewestInstalledKernel(sim.facts().PackageVersions(node));
    std::lock_guard<std::mutex> lock(sim.mu());
    if (!kernel.empty()) sim.runtime().running_kernel[node] = kernel;
  }
  if (!back.empty()) sim.MarkDirty();
}

// `ha-manager crm-command` appends lines to ha/crm_commands; the CRM reads and clears the file every round
// (PVE::HA::Manager::read_crm_commands). Node maintenance switches the node's LRM mode.
void ProcessCrmCommands(Simulator& sim) {
  std::optional<std::string> text = sim.fs().Read(kHaCrmCommandsFile);
  if (!text || text->empty()) return;
  if (!sim.fs().Write(kHaCrmCommandsFile, "")) return;
  std::lock_guard<std::mutex> lock(sim.mu());
  size_t start = 0;
  while (start < text->size()) {
    size_t end = text->find('\n', start);
    std::string line = text->substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text->size() : end + 1;
    std::istringstream words(line);
    std::string command, node;
    words >> command >> node;
    HaRuntime& ha = sim.runtime().ha;
    // PVE 9's cluster-wide disarm (Manager.pm): ignored while already disarmed; arm-ha ends it.
    if (command == "disarm-ha" && (node == "freeze" || node == "ignore")) {
      if (ha.disarm_mode.empty()) {
        ha.disarm_mode = node;
        ha.disarm_state = "disarming";
      }
      continue;
    }
    if (command == "arm-ha") {
      ha.disarm_mode.clear();
      ha.disarm_state.clear();
      continue;
    }
    if (node.empty() || !ha.lrm_mode.contains(node)) continue;
    if (!ha.disarm_mode.empty()) continue;  // "ignoring maintenance command … HA stack is disarmed"
    if (command == "enable-node-maintenance") sim.runtime().ha.lrm_mode[node] = "maintenance";
    if (command == "disable-node-maintenance") sim.runtime().ha.lrm_mode[node] = "active";
  }
  sim.MarkDirty();
}

// Each online node's LRM writes its status file (mode, state, timestamp), as the real LRM does every round;
// `ha-manager status` reads it. Rewritten when the mode changes, else refreshed every few seconds.
void WriteLrmStatus(Simulator& sim, const ClusterView& view) {
  std::map<std::string, std::string> modes;
  std::set<std::string> busy_nodes;
  bool disarmed = false;  // every LRM releases its agent lock and watchdog: mode "disarm"
  {
    std::lock_guard<std::mutex> lock(sim.mu());
    modes = sim.runtime().ha.lrm_mode;
    disarmed = !sim.runtime().ha.disarm_mode.empty();
    for (const auto& [sid, ss] : sim.runtime().ha.services)
      if (ss.state != "stopped" && ss.state != "disabled") busy_nodes.insert(ss.node);
  }
  for (const auto& m : view.members) {
    if (!m.online || !modes.contains(m.name)) continue;
    const std::string path = "nodes/" + m.name + "/lrm_status";
    json old;
    try { old = json::parse(sim.fs().Read(path).value_or("{}")); } catch (const json::exception&) { old = json::object(); }
    const std::string old_mode = old.value("mode", "active");
    const std::string mode = disarmed ? "disarm" : modes.at(m.name);
    if (old_mode == mode && Now() - old.value("timestamp", int64_t{0}) < 5) continue;
    const bool active = mode == "active" && busy_nodes.contains(m.name) && !disarmed;
    json status = {{"mode", mode}, {"results", json::object()}, {"state", active ? "active" : "wait_for_agent_lock"},
                   {"timestamp", Now()}};
    (void)sim.fs().Write(path, status.dump());
  }
}

// PVE 9's persistent group migration (Manager::try_persistent_group_migration): needs quorum, every node
// online and every LRM active; groups used by resources become "ha-group-<group>" node-affinity rules.
void MigrateGroups(Simulator& sim, const ClusterView& view) {
  if (sim.pve() != 9) return;
  for (const auto& m : view.members)
    if (!m.online) return;
  std::lock_guard<std::mutex> lock(sim.mu());
  for (const auto& [node, mode] : sim.runtime().ha.lrm_mode)
    if (mode != "active") return;
  SectionFile groups = ReadSections(sim, kHaGroupsFile, HaGroupSchema());
  if (groups.sections.empty()) return;
  SectionFile resources = ReadHaResources(sim);
  SectionFile rules = ReadSections(sim, kHaRulesFile, HaRuleSchema());
  std::map<std::string, std::set<std::string>> used;
  for (const auto& r : resources.sections)
    if (r.values.contains("group")) used[r.values["group"]].insert(SidOf(r));
  for (const auto& [group, sids] : used) {
    const Section* g = groups.Find(group);
    if (!g) continue;
    std::string list;
    for (const auto& sid : sids) list += (list.empty() ? "" : ",") + sid;
    Section rule{"node-affinity", "ha-group-" + group, json::object()};
    rule.values["resources"] = list;
    rule.values["nodes"] = g->values.value("nodes", "");
    if (g->values.contains("restricted")) rule.values["strict"] = g->values["restricted"];
    rule.values["comment"] = g->values.value("comment", "Generated from HA group '" + group + "'.");
    rules.Remove(rule.id);
    rules.sections.push_back(rule);
  }
  if (!WriteSections(sim, kHaRulesFile, rules, HaRuleSchema())) return;
  for (auto& r : resources.sections) {
    if (!r.values.contains("group")) continue;
    const Section* g = groups.Find(r.values["group"]);
    if (g && g->values.value("nofailback", 0) == 1) r.values["failback"] = 0;
    r.values.erase("group");
  }
  if (!WriteSections(sim, kHaResourcesFile, resources, HaResourceSchema())) return;
  (void)sim.fs().Remove(kHaGroupsFile);
  sim.runtime().ha.groups_migrated = true;
  sim.MarkDirty();
}

struct Placement {
  std::map<std::string, int> prio;  // allowed node -> priority
  bool strict = false;
  bool failback = true;
};

// The node preference of a sid: its node-affinity rule (PVE 9) or group (PVE 8).
Placement PlacementOf(Simulator& sim, const Section& resource, const SectionFile& rules, const SectionFile& groups) {
  Placement p;
  std::string sid = SidOf(resource);
  p.failback = resource.values.value("failback", 1) != 0;
  for (const auto& r : rules.sections) {
    if (r.type != "node-affinity" || r.values.value("disable", 0) == 1) continue;
    auto list = SplitList(r.values.value("resources", ""));
    if (std::find(list.begin(), list.end(), sid) == list.end()) continue;
    p.prio = ParseNodePriorities(r.values.value("nodes", ""));
    p.strict = r.values.value("strict", 0) == 1;
    return p;
  }
  if (resource.values.contains("group")) {
    if (const Section* g = groups.Find(resource.values["group"])) {
      p.prio = ParseNodePriorities(g->values.value("nodes", ""));
      p.strict = g->values.value("restricted", 0) == 1;
      p.failback = g->values.value("nofailback", 0) != 1;
    }
  }
  (void)sim;
  return p;
}

// select_service_node: the highest-priority online node, fewest HA services, current node on ties.
std::string SelectNode(const Placement& p, const std::vector<std::string>& online, const std::string& current,
                       const std::map<std::string, int>& load) {
  std::vector<std::string> candidates;
  int best = -1;
  for (const auto& n : online) {
    if (!p.prio.empty() && !p.prio.contains(n)) continue;
    int prio = p.prio.empty() ? 0 : p.prio.at(n);
    if (prio > best) { best = prio; candidates.clear(); }
    if (prio == best) candidates.push_back(n);
  }
  if (candidates.empty()) {
    if (p.strict) return "";
    candidates = online;
  }
  if (std::find(candidates.begin(), candidates.end(), current) != candidates.end()) return current;
  std::string choice;
  int least = 1 << 30;
  for (const auto& n : candidates) {
    int l = load.contains(n) ? load.at(n) : 0;
    if (l < least) { least = l; choice = n; }
  }
  return choice;
}

// Runs an LRM action as a task on `node` (user root@pam), keeping the sid busy meanwhile.
void RunLrmTask(Simulator& sim, const std::string& sid, const std::string& node, const char* type, int vmid,
                std::function<Status(TaskContext&)> work) {
  sim.runtime().ha.busy.insert(sid);
  sim.tasks().Start(node, type, std::to_string(vmid), "root@pam", [&sim, sid, work](TaskContext& ctx) {
    Status st = work(ctx);
    std::lock_guard<std::mutex> lock(sim.mu());
    sim.runtime().ha.busy.erase(sid);
    if (!st) sim.runtime().ha.services[sid].state = "error";
    sim.MarkDirty();
    return st;
  });
}

void WriteManagerStatus(Simulator& sim, const ClusterView& view, const std::string& master) {
  json node_status = json::object(), node_request = json::object();
  const auto& modes = sim.runtime().ha.lrm_mode;
  for (const auto& m : view.members) {
    const bool maintenance = modes.contains(m.name) && modes.at(m.name) == "maintenance";
    node_status[m.name] = !m.online ? "unknown" : maintenance ? "maintenance" : "online";
    node_request[m.name] = maintenance ? json{{"maintenance", 1}} : json::object();
  }
  json services = json::object();
  for (const auto& [sid, ss] : sim.runtime().ha.services) {
    int vmid = std::atoi(sid.substr(sid.find(':') + 1).c_str());
    bool running = sim.runtime().vms.contains(vmid) && sim.runtime().vms.at(vmid).running;
    services[sid] = {{"node", ss.node}, {"state", ss.state}, {"running", running ? 1 : 0}};
    if (!ss.maintenance_node.empty()) services[sid]["maintenance_node"] = ss.maintenance_node;
  }
  json status = {{"master_node", master}, {"node_status", node_status}, {"node_request", node_request},
                 {"service_status", services}};
  if (!sim.runtime().ha.disarm_mode.empty()) {
    status["disarm"] = {{"mode", sim.runtime().ha.disarm_mode}, {"state", sim.runtime().ha.disarm_state}};
  }
  std::string old = sim.fs().Read("ha/manager_status").value_or("");
  json old_json;
  try { old_json = json::parse(old); } catch (...) { old_json = json::object(); }
  int64_t old_ts = old_json.value("timestamp", int64_t{0});
  old_json.erase("timestamp");
  if (old_json == status && Now() - old_ts < 10) return;
  status["timestamp"] = Now();
  (void)sim.fs().Write("ha/manager_status", status.dump());
}

// Manager::handle_disarm: deferred while a service moves or is recovered; then `freeze` freezes every
// started/stopped service (`ignore` leaves their state, HA stops tracking them) and the stack is disarmed.
void HandleDisarm(HaRuntime& ha) {
  if (!ha.busy.empty()) return;
  for (const auto& [sid, ss] : ha.services) {
    if (ss.state == "migrate" || ss.state == "relocate" || ss.state == "recovery" || ss.state == "fence") return;
  }
  if (ha.disarm_mode == "freeze") {
    for (auto& [sid, ss] : ha.services) {
      if (ss.state == "started" || ss.state == "stopped" || ss.state == "request_stop" || ss.state == "request_start") {
        ss.state = "freeze";
      }
    }
  }
  ha.disarm_state = "disarmed";
}

}  // namespace

void HaTick(Simulator& sim) {
  FinishReboots(sim);
  ClusterView view = sim.facts().Cluster();
  if (!view.clustered || !view.quorate) return;  // the CRM needs quorum
  ProcessCrmCommands(sim);
  WriteLrmStatus(sim, view);
  MigrateGroups(sim, view);
  SectionFile resources = ReadHaResources(sim);
  SectionFile rules = ReadSections(sim, kHaRulesFile, HaRuleSchema());
  SectionFile groups = ReadSections(sim, kHaGroupsFile, HaGroupSchema());
  auto vms = VmList(sim);
  auto cts = CtList(sim);
  std::vector<std::string> online;
  std::string master;
  for (const auto& m : view.members) {
    if (!m.online) continue;
    online.push_back(m.name);
    if (master.empty()) master = m.name;
  }
  std::lock_guard<std::mutex> lock(sim.mu());
  HaRuntime& ha = sim.runtime().ha;
  if (!ha.disarm_mode.empty()) {
    HandleDisarm(ha);
    WriteManagerStatus(sim, view, master);
    return;  // disarmed: no placement, no recovery, no migration (Manager::handle_disarm skips the FSM)
  }
  // Nodes in maintenance take no services: placement and recovery choose among the others.
  auto in_maintenance = [&ha](const std::string& n) { return ha.lrm_mode.contains(n) && ha.lrm_mode.at(n) == "maintenance"; };
  std::erase_if(online, in_maintenance);
  std::set<std::string> configured;
  std::map<std::string, int> load;
  for (const auto& [sid, ss] : ha.services) load[ss.node]++;
  for (const auto& r : resources.sections) {
    if (r.type != "vm" && r.type != "ct") continue;
    std::string sid = SidOf(r);
    configured.insert(sid);
    int vmid = std::atoi(r.id.c_str());
    const bool is_ct = r.type == "ct";
    const auto& guests = is_ct ? cts : vms;
    auto vm = guests.find(vmid);
    if (vm == guests.end()) continue;
    // The LRM's resource plugins: PVEQemu (qm* tasks) and PVECT (vz* tasks; a container never moves running).
    auto start_guest = [&sim, is_ct](TaskContext& ctx, const std::string& on, int id) {
      return is_ct ? StartCt(sim, ctx, on, id, false) : StartGuest(sim, ctx, on, id, false);
    };
    auto stop_guest = [&sim, is_ct](TaskContext& ctx, const std::string& on, int id) {
      return is_ct ? StopCt(sim, ctx, on, id, false, true) : StopGuest(sim, ctx, on, id, false, true);
    };
    auto conf_path = [is_ct](const std::string& on, int id) { return is_ct ? CtConfPath(on, id) : GuestConfPath(on, id); };
    std::string node = vm->second, request = HaRequestState(r);
    if (request == "ignored") {
      ha.services.erase(sid);
      continue;
    }
    if (ha.busy.contains(sid)) continue;
    HaServiceRuntime& ss = ha.services[sid];
    ss.node = node;
    // A service in error stays there until the admin disables it (pve-ha-manager: "clearing error flag").
    if (ss.state == "error") {
      if (request == "disabled") ss.state = "stopped";
      continue;
    }
    bool running = sim.runtime().vms.contains(vmid) && sim.runtime().vms.at(vmid).running;
    Placement placement = PlacementOf(sim, r, rules, groups);
    if (!sim.facts().Online(node)) {
      // The node is fenced; the guest is recovered on another node (its config is stolen there).
      std::string target = SelectNode(placement, online, "", load);
      if (target.empty()) {
        ss.state = "recovery";
        continue;
      }
      if (!sim.fs().Rename(conf_path(node, vmid), conf_path(target, vmid))) continue;
      sim.runtime().vms[vmid].running = false;
      ss.node = target;
      ss.state = request == "started" ? "started" : request;
      if (request == "started")
        RunLrmTask(sim, sid, target, is_ct ? "vzstart" : "qmstart", vmid, [start_guest, target, vmid](TaskContext& ctx) { return start_guest(ctx, target, vmid); });
      sim.MarkDirty();
      continue;
    }
    std::string target;
    bool relocate = false;
    if (auto it = ha.migrate_targets.find(sid); it != ha.migrate_targets.end()) {
      target = it->second;
      relocate = ha.relocate[sid] || is_ct;
      ha.migrate_targets.erase(it);
      ha.relocate.erase(sid);
      if (std::find(online.begin(), online.end(), target) == online.end() || target == node) target.clear();
    } else if (in_maintenance(node) && request != "stopped" && request != "disabled") {
      // The CRM moves every service off a node in maintenance and remembers where it came from.
      target = SelectNode(placement, online, "", load);
      if (!target.empty()) ss.maintenance_node = node;
    } else if (!ss.maintenance_node.empty() && ss.maintenance_node != node &&
               std::find(online.begin(), online.end(), ss.maintenance_node) != online.end()) {
      target = ss.maintenance_node;  // the node is back from maintenance: the service returns
    } else if (request == "started") {
      if (ss.maintenance_node == node) ss.maintenance_node.clear();
      std::string best = SelectNode(placement, online, node, load);
      bool allowed = placement.prio.empty() || placement.prio.contains(node);
      int cur_prio = placement.prio.contains(node) ? placement.prio.at(node) : -1;
      int best_prio = placement.prio.contains(best) ? placement.prio.at(best) : -1;
      if (!best.empty() && best != node && ((placement.strict && !allowed) || (placement.failback && best_prio > cur_prio)))
        target = best;
    }
    if (!target.empty()) {
      ss.state = relocate ? "relocate" : "migrate";
      bool online_migration = running && !relocate;
      const char* task = is_ct ? (relocate ? "vzrelocate" : "vzmigrate") : (relocate ? "qmrelocate" : "qmigrate");
      RunLrmTask(sim, sid, node, task, vmid,
                 [&sim, sid, node, target, vmid, online_migration, relocate, running, request, is_ct, start_guest, stop_guest](TaskContext& ctx) -> Status {
                   if (relocate && running) {
                     if (auto st = stop_guest(ctx, node, vmid); !st) return st;
                   }
                   Status moved = is_ct ? MigrateCt(sim, ctx, node, target, vmid, false)
                                        : MigrateGuest(sim, ctx, node, target, vmid, online_migration, true);
                   if (!moved) return moved;
                   if (relocate && request == "started") {
                     if (auto st = start_guest(ctx, target, vmid); !st) return st;
                   }
                   std::lock_guard<std::mutex> inner(sim.mu());
                   HaServiceRuntime& moved_ss = sim.runtime().ha.services[sid];
                   moved_ss.node = target;
                   moved_ss.state = request == "started" ? "started" : request;
                   if (moved_ss.maintenance_node == target) moved_ss.maintenance_node.clear();
                   return Ok();
                 });
      continue;
    }
    if (request == "started") {
      ss.state = "started";
      if (!running && !sim.guest_locks().IsHeld(vmid))
        RunLrmTask(sim, sid, node, is_ct ? "vzstart" : "qmstart", vmid, [start_guest, node, vmid](TaskContext& ctx) { return start_guest(ctx, node, vmid); });
    } else {
      if (running && !sim.guest_locks().IsHeld(vmid)) {
        ss.state = "request_stop";
        RunLrmTask(sim, sid, node, is_ct ? "vzshutdown" : "qmshutdown", vmid, [&sim, sid, node, vmid, request, stop_guest](TaskContext& ctx) -> Status {
          if (auto st = stop_guest(ctx, node, vmid); !st) return st;
          std::lock_guard<std::mutex> inner(sim.mu());
          sim.runtime().ha.services[sid].state = request;
          return Ok();
        });
      } else if (!running) {
        ss.state = request;
      }
    }
  }
  std::erase_if(ha.services, [&](const auto& s) { return !configured.contains(s.first); });
  WriteManagerStatus(sim, view, master);
}

}  // namespace pvesim
