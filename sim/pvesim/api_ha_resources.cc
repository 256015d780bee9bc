// /cluster/ha/resources (CRUD, migrate, relocate) and /cluster/ha/status (current, manager_status), as
// pve-ha-manager's API2::HA::Resources and API2::HA::Status serve them. The state comes from the simulated
// CRM (ha_crm.cc).
#include <ctime>
#include <regex>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/ha_config.h"

namespace pvesim {

namespace {

// parse_sid: "vm:100", or a bare VMID resolved through the guest list.
Result<std::pair<std::string, std::string>> ParseSid(Simulator& sim, const std::string& sid) {
  if (!sid.empty() && sid.find_first_not_of("0123456789") == std::string::npos) {
    const std::string type = GuestTypeOf(sim, std::stoi(sid));
    if (type.empty()) return Die("unable to detect SID from VMID - VM/CT " + sid + " does not exist");
    return std::make_pair(std::string(type == "lxc" ? "ct" : "vm"), sid);
  }
  auto colon = sid.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == sid.size()) return Die("unable to parse service id '" + sid + "'");
  return std::make_pair(sid.substr(0, colon), sid.substr(colon + 1));
}

json ResourceJson(const Section& r, const std::string& digest, bool exclude_group) {
  json o = r.values;
  o["sid"] = SidOf(r);
  o["type"] = r.type;
  o["digest"] = digest;
  if (exclude_group) o.erase("group");
  return o;
}

Status CheckServiceState(Simulator& sim, const std::string& sid, const std::optional<std::string>& req_state) {
  std::lock_guard<std::mutex> lock(sim.mu());
  auto it = sim.runtime().ha.services.find(sid);
  if (it == sim.runtime().ha.services.end() || it->second.state != "error") return Ok();
  if (req_state && *req_state == "disabled") return Ok();
  return Die("service '" + sid + "' in error state, must be disabled and fixed first");
}

void CopyResourceOptions(const Params& p, Section& r) {
  for (const auto& [key, opt] : HaResourceSchema().types.at("vm")) {
    if (!p.Has(key)) continue;
    std::string v = p.StrOr(key, "");
    if (opt.type == "boolean" || opt.type == "integer") r.values[key] = std::stoll(v); else r.values[key] = v;
  }
}

Result<Reply> ListResources(Call& c) {
  SectionFile res = ReadHaResources(c.sim);
  bool exclude = HaGroupsMigrated(c.sim);
  SectionFile groups = ReadSections(c.sim, kHaGroupsFile, HaGroupSchema());
  std::string type = c.params.StrOr("type", "");
  json out = json::array();
  for (const auto& r : res.sections) {
    if (!type.empty() && r.type != type) continue;
    json o = ResourceJson(r, res.digest, exclude);
    if (o.contains("group") && !groups.Find(o["group"])) o["errors"]["group"] = "group '" + o["group"].get<std::string>() + "' does not exist";
    out.push_back(o);
  }
  return Reply(out);
}

Result<Reply> ReadResource(Call& c) {
  auto sid = ParseSid(c.sim, c.params.StrOr("sid", ""));
  if (!sid) return Fail(sid.error());
  SectionFile res = ReadHaResources(c.sim);
  const Section* r = FindHaResource(res, sid->first + ":" + sid->second);
  if (!r) return Die("no such resource '" + sid->first + ":" + sid->second + "'");
  return Reply(ResourceJson(*r, res.digest, HaGroupsMigrated(c.sim)));
}

Result<Reply> CreateResource(Call& c) {
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  auto sid = ParseSid(c.sim, c.params.StrOr("sid", ""));
  if (!sid) return Fail(sid.error());
  auto [type, name] = *sid;
  if (c.params.Has("type") && c.params.StrOr("type", "") != type) return Die("types does not match");
  if (c.params.Has("group") && HaGroupsMigrated(c.sim)) return Die("invalid parameter 'group': ha groups have been migrated to rules");
  if (type != "vm" && type != "ct") return Die("unknown resource type '" + type + "'");
  if (!std::regex_match(name, std::regex("^[1-9][0-9]+$"))) return Die("invalid VMID");
  const std::string guest = GuestTypeOf(c.sim, std::stoi(name));
  if (guest.empty()) return Die("resource '" + type + ":" + name + "' does not exist in cluster");
  if (type == "ct" && guest != "lxc") return Die("resource 'ct:" + name + "' - guest with ID " + name + " is not a container");
  if (type == "vm" && guest != "qemu") return Die("resource 'vm:" + name + "' - guest with ID " + name + " is not a VM");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile res = ReadHaResources(c.sim);
  if (FindHaResource(res, type + ":" + name)) return Die("create resource failed: resource ID '" + type + ":" + name + "' already defined");
  Section r{type, name, json::object()};
  CopyResourceOptions(c.params, r);
  res.sections.push_back(r);
  if (auto st = WriteSections(c.sim, kHaResourcesFile, res, HaResourceSchema()); !st)
    return Die("create resource failed: " + st.error().message);
  return Reply(nullptr);
}

Result<Reply> UpdateResource(Call& c) {
  auto sid = ParseSid(c.sim, c.params.StrOr("sid", ""));
  if (!sid) return Fail(sid.error());
  std::string full = sid->first + ":" + sid->second;
  if (c.params.Has("type") && c.params.StrOr("type", "") != sid->first) return Die("types does not match");
  if (auto group = c.params.Str("group")) {
    if (HaGroupsMigrated(c.sim)) return Die("invalid parameter 'group': ha groups have been migrated to rules");
    if (!ReadSections(c.sim, kHaGroupsFile, HaGroupSchema()).Find(*group)) return Die("HA group '" + *group + "' does not exist");
  }
  if (auto st = CheckServiceState(c.sim, full, c.params.Str("state")); !st) return Fail(st.error());
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile res = ReadHaResources(c.sim);
  if (auto st = AssertDigest(c.params.Str("digest"), res.digest); !st)
    return Die("update resources config failed: " + st.error().message);
  Section* r = FindHaResource(res, full);
  if (!r) return Die("update resources config failed: no such resource '" + full + "'");
  CopyResourceOptions(c.params, *r);
  const auto& opts = HaResourceSchema().types.at(r->type);
  for (const auto& k : SplitList(c.params.StrOr("delete", ""))) {
    if (!opts.contains(k)) return Die("update resources config failed: no such option '" + k + "'");
    r->values.erase(k);
  }
  if (auto st = WriteSections(c.sim, kHaResourcesFile, res, HaResourceSchema()); !st)
    return Die("update resources config failed: " + st.error().message);
  return Reply(nullptr);
}

Result<Reply> DeleteResource(Call& c) {
  auto sid = ParseSid(c.sim, c.params.StrOr("sid", ""));
  if (!sid) return Fail(sid.error());
  std::string full = sid->first + ":" + sid->second;
  bool purge = c.sim.pve() == 9 ? c.params.Bool("purge", true) : false;
  std::lock_guard<std::mutex> lock(c.sim.mu());
  if (!FindHaResource(ReadHaResources(c.sim), full)) return Die("cannot delete service '" + full + "', not HA managed!");
  if (auto st = DeleteHaResource(c.sim, full, purge); !st) return Die("delete resource failed: " + st.error().message);
  c.sim.runtime().ha.services.erase(full);
  c.sim.MarkDirty();
  return Reply(nullptr);
}

// migrate/relocate: a CRM command; the HA loop moves the guest.
Result<Reply> Motion(Call& c, const std::string& command) {
  auto sid = ParseSid(c.sim, c.params.StrOr("sid", ""));
  if (!sid) return Fail(sid.error());
  std::string full = sid->first + ":" + sid->second, node = c.params.StrOr("node", "");
  if (!FindHaResource(ReadHaResources(c.sim), full)) return Die("resource '" + full + "' is not HA managed");
  if (auto st = CheckServiceState(c.sim, full, std::nullopt); !st) return Fail(st.error());
  {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    c.sim.runtime().ha.migrate_targets[full] = node;
    c.sim.runtime().ha.relocate[full] = command == "relocate";
  }
  c.sim.MarkDirty();
  if (c.sim.pve() == 8) return Reply(nullptr);
  return Reply(json{{"sid", full}, {"requested-node", node}});
}

std::string LocalTime(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
  return buf;
}

// get_verbose_service_state
std::string VerboseState(const HaServiceRuntime* ss, const std::string& request, bool running, bool has_node) {
  if (request == "ignored") return "ignored";
  if (!has_node) return "not found";
  if (!ss) return "queued";
  std::string cur = ss->state, state = cur;
  if (cur.empty()) return "queued";
  if (cur == "stopped") {
    if (request == "started") state = "starting";
    else if (request == "disabled") state = "disabled";
  } else if (cur == "started") {
    if (request == "stopped" || request == "disabled") state = "stopping";
    if (!running) state = "starting";
  } else if (cur == "error" && request == "disabled") {
    state = "clearing error flag";
  }
  return state;
}

// PVE::HA::Config::queue_crm_commands: appends a line to ha/crm_commands (the cluster filesystem's).
Status QueueCrmCommand(Simulator& sim, const std::string& line) {
  std::string text = sim.fs().Read(kHaCrmCommandsFile).value_or("");
  return sim.fs().Write(kHaCrmCommandsFile, text + line + "\n");
}

Result<Reply> StatusCurrent(Call& c) {
  json out = json::array();
  std::string local = c.local;
  ClusterView view = c.sim.facts().Cluster();
  out.push_back({{"id", "quorum"}, {"type", "quorum"}, {"node", local},
                 {"status", view.quorate ? "OK" : "No quorum on node '" + local + "'!"}, {"quorate", view.quorate ? 1 : 0}});
  SectionFile res = ReadHaResources(c.sim);
  auto vms = VmList(c.sim);
  for (const auto& [vmid, node] : CtList(c.sim)) vms[vmid] = node;
  int64_t now = Now();
  std::lock_guard<std::mutex> lock(c.sim.mu());
  const HaRuntime& ha = c.sim.runtime().ha;
  std::string master;
  for (const auto& m : view.members)
    if (m.online && master.empty()) master = m.name;
  bool active = view.quorate && !res.sections.empty();
  // PVE 9's cluster-wide disarm (API2/HA/Status.pm): on the master line, as the fencing entry, on each LRM.
  const std::string disarm_mode = ha.disarm_mode, disarm_state = ha.disarm_state;
  if (!master.empty()) {
    std::string st = active || !disarm_mode.empty() ? "active" : view.quorate ? "idle" : "old timestamp - dead?";
    std::string extra = disarm_mode.empty() ? "" : " - " + disarm_state + ", resource mode: " + disarm_mode;
    out.push_back({{"id", "master"}, {"type", "master"}, {"node", master},
                   {"status", master + " (" + st + ", " + LocalTime(now) + ")" + extra}, {"timestamp", now}});
  }
  if (c.sim.pve() == 9 && !disarm_mode.empty()) {
    const bool released = disarm_state == "disarmed";
    out.push_back({{"id", "fencing"}, {"type", "fencing"}, {"node", master.empty() ? local : master},
                   {"status", disarm_state + ", resource mode: " + disarm_mode + " (CRM watchdog " +
                                  (released ? "released" : "active") + ")"},
                   {"armed-state", disarm_state}, {"resource_mode", disarm_mode}});
  } else if (c.sim.pve() == 9) {
    std::string armed = active ? "armed" : "standby";
    out.push_back({{"id", "fencing"}, {"type", "fencing"}, {"node", master.empty() ? local : master},
                   {"status", armed + " (CRM watchdog " + std::string(active ? "active" : "standby") + ")"},
                   {"armed-state", armed}});
  }
  for (const auto& m : view.members) {
    int count = 0;
    for (const auto& [sid, ss] : ha.services)
      if (ss.node == m.name && ss.state != "stopped" && ss.state != "disabled") ++count;
    std::string mode = !disarm_mode.empty() ? "disarm" : ha.lrm_mode.contains(m.name) ? ha.lrm_mode.at(m.name) : "active";
    if (!m.online) {
      out.push_back({{"id", "lrm:" + m.name}, {"type", "lrm"}, {"node", m.name},
                     {"status", m.name + " (old timestamp - dead?, " + LocalTime(now - 120) + ")"}, {"timestamp", now - 120}});
      continue;
    }
    std::string st = mode != "active" ? mode + " mode" : count ? "active" : "idle";
    std::string wd = mode == "disarm"                       ? "watchdog released"
                     : count || mode == "maintenance" ? "watchdog active"
                                                      : "watchdog standby";
    std::string text = c.sim.pve() == 9 ? m.name + " (" + st + ", " + wd + ", " + LocalTime(now) + ")"
                                        : m.name + " (" + st + ", " + LocalTime(now) + ")";
    out.push_back({{"id", "lrm:" + m.name}, {"type", "lrm"}, {"node", m.name}, {"status", text}, {"timestamp", now}});
  }
  for (const auto& r : res.sections) {
    std::string sid = SidOf(r);
    auto ss_it = ha.services.find(sid);
    const HaServiceRuntime* ss = ss_it == ha.services.end() ? nullptr : &ss_it->second;
    int vmid = std::atoi(r.id.c_str());
    auto vm_it = vms.find(vmid);
    std::string node = ss && !ss->node.empty() ? ss->node : vm_it != vms.end() ? vm_it->second : "";
    bool running = c.sim.runtime().vms.contains(vmid) && c.sim.runtime().vms.at(vmid).running;
    json d = {{"id", "service:" + sid}, {"type", "service"}, {"sid", sid}, {"node", node.empty() ? json(nullptr) : json(node)}};
    if (ss) d["crm_state"] = ss->state;
    std::string request = HaRequestState(r);
    std::string state = VerboseState(ss, request, running, vm_it != vms.end());
    if (disarm_mode == "ignore") state = "ignore";  // "show disarm resource mode instead of internal service state"
    d["state"] = state;
    d["status"] = sid + " (" + (node.empty() ? "---" : node) + ", " + state + ")";
    d["request_state"] = request;
    for (const char* k : {"group", "max_restart", "max_relocate", "failback", "comment"})
      if (r.values.contains(k)) d[k] = r.values[k];
    if (c.sim.pve() == 9 && !d.contains("failback")) d["failback"] = 1;
    out.push_back(d);
  }
  return Reply(out);
}

Result<Reply> ManagerStatus(Call& c) {
  auto raw = c.sim.fs().Read("ha/manager_status");
  json status = json::object();
  if (raw) {
    try { status = json::parse(*raw); } catch (const json::exception&) { status = json::object(); }
  }
  json lrm = json::object();
  for (const auto& m : c.sim.facts().Cluster().members) {
    auto l = c.sim.fs().Read("nodes/" + m.name + "/lrm_status");
    if (!l) continue;
    try { lrm[m.name] = json::parse(*l); } catch (const json::exception&) {}
  }
  return Reply(json{{"manager_status", status}, {"lrm_status", lrm},
                    {"quorum", {{"node", c.local}, {"quorate", c.sim.facts().Cluster().quorate ? "1" : "0"}}}});
}

}  // namespace

void AddHaResourceRoutes(RouteTable& t) {
  t.Add("GET", "/cluster/ha", kNoFlags, [](Call& c) -> Result<Reply> {
    if (c.sim.pve() == 9) return Reply(Index({"resources", "groups", "rules", "status"}, "id"));
    return Reply(Index({"resources", "groups", "status"}, "id"));
  });
  t.Add("GET", "/cluster/ha/resources", kNoFlags, ListResources);
  t.Add("POST", "/cluster/ha/resources", kNoFlags, CreateResource);
  t.Add("GET", "/cluster/ha/resources/{sid}", kNoFlags, ReadResource);
  t.Add("PUT", "/cluster/ha/resources/{sid}", kNoFlags, UpdateResource);
  t.Add("DELETE", "/cluster/ha/resources/{sid}", kNoFlags, DeleteResource);
  t.Add("POST", "/cluster/ha/resources/{sid}/migrate", kNoFlags, [](Call& c) { return Motion(c, "migrate"); });
  t.Add("POST", "/cluster/ha/resources/{sid}/relocate", kNoFlags, [](Call& c) { return Motion(c, "relocate"); });
  t.Add("GET", "/cluster/ha/status", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"current", "manager_status"}));
  });
  t.Add("GET", "/cluster/ha/status/current", kNoFlags, StatusCurrent);
  t.Add("GET", "/cluster/ha/status/manager_status", kNoFlags, ManagerStatus);
  // PVE 9 (late 9.1.x): both only queue the CRM command, as `ha-manager crm-command disarm-ha|arm-ha` does; the
  // CRM acts on its next round. Absent from PVE 8's schema: the dispatcher answers 501 there.
  t.Add("POST", "/cluster/ha/status/disarm-ha", kPve9Only, [](Call& c) -> Result<Reply> {
    if (auto st = QueueCrmCommand(c.sim, "disarm-ha " + c.params.StrOr("resource-mode", "")); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("POST", "/cluster/ha/status/arm-ha", kPve9Only, [](Call& c) -> Result<Reply> {
    if (auto st = QueueCrmCommand(c.sim, "arm-ha"); !st) return Fail(st.error());
    return Reply(nullptr);
  });
}

}  // namespace pvesim
