// /cluster/ha/groups (PVE 8; on PVE 9 only until they are migrated to rules) and /cluster/ha/rules
// (PVE 9: node-affinity and resource-affinity rules with their feasibility checks), as pve-ha-manager's
// API2::HA::Groups and API2::HA::Rules serve them.
#include <set>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/ha_config.h"

namespace pvesim {

namespace {

json GroupJson(const Section& g, const std::string& digest) {
  json o = g.values;
  o["group"] = g.id;
  o["type"] = "group";
  o["digest"] = digest;
  return o;
}

// `<node>[:<prio>]` lists as encode_plugin_value prints them: sorted by node, ":0" omitted.
std::string EncodeNodes(const std::string& nodes) {
  std::string out;
  for (const auto& [node, prio] : ParseNodePriorities(nodes)) out += (out.empty() ? "" : ",") + node + (prio ? ":" + std::to_string(prio) : "");
  return out;
}

std::string EncodeResources(const std::string& resources) {
  std::set<std::string> sorted;
  for (const auto& r : SplitList(resources)) sorted.insert(r);
  std::string out;
  for (const auto& r : sorted) out += (out.empty() ? "" : ",") + r;
  return out;
}

// PVE::HA::Rules::check_feasibility (the checks clients meet): rule id -> option -> messages.
std::map<std::string, std::map<std::string, std::vector<std::string>>> Feasibility(const SectionFile& rules, size_t nodes) {
  std::map<std::string, std::map<std::string, std::vector<std::string>>> errors;
  std::map<std::string, std::vector<std::string>> node_affinity_of;
  for (const auto& r : rules.sections) {
    if (r.values.contains("disable") && r.values["disable"] == 1) continue;
    auto resources = SplitList(r.values.value("resources", ""));
    if (r.type == "node-affinity") {
      for (const auto& sid : resources) node_affinity_of[sid].push_back(r.id);
    } else if (r.type == "resource-affinity") {
      if (resources.size() < 2) errors[r.id]["resources"].push_back("rule is ineffective as there are less than two resources");
      if (r.values.value("affinity", "") == "negative" && resources.size() > nodes)
        errors[r.id]["resources"].push_back("rule defines more resources than available nodes");
    }
  }
  for (const auto& [sid, ids] : node_affinity_of) {
    if (ids.size() < 2) continue;
    for (const auto& id : ids) errors[id]["resources"].push_back("resource '" + sid + "' is already used in another node affinity rule");
  }
  return errors;
}

json RuleJson(const Section& r, const SectionFile& rules, size_t order,
              const std::map<std::string, std::map<std::string, std::vector<std::string>>>& errors) {
  json o = r.values;
  o["rule"] = r.id;
  o["type"] = r.type;
  o["digest"] = rules.digest;
  o["order"] = order;
  if (o.contains("resources")) o["resources"] = EncodeResources(o["resources"]);
  if (o.contains("nodes")) o["nodes"] = EncodeNodes(o["nodes"]);
  if (auto it = errors.find(r.id); it != errors.end()) o["errors"] = it->second;
  return o;
}

Status CheckRuleParams(Simulator& sim, const Params& p) {
  if (auto res = p.Str("resources")) {
    auto list = SplitList(*res);
    if (list.empty()) return Die("no resources were specified");
    SectionFile configured = ReadHaResources(sim);
    std::string missing;
    std::set<std::string> sorted(list.begin(), list.end());
    for (const auto& sid : sorted)
      if (!FindHaResource(configured, sid)) missing += (missing.empty() ? "" : ", ") + sid;
    if (!missing.empty()) return Die("cannot use unmanaged resource(s) " + missing + ".");
  }
  if (auto nodes = p.Str("nodes")) {
    auto parsed = ParseNodePriorities(*nodes);
    if (parsed.empty()) return Die("no nodes were specified");
    std::set<std::string> members;
    for (const auto& m : sim.facts().Cluster().members) members.insert(m.name);
    std::string missing;
    for (const auto& [n, prio] : parsed)
      if (!members.contains(n) && n != sim.LocalNode()) missing += (missing.empty() ? "" : ", ") + n;
    if (!missing.empty()) return Die("cannot use non-existent node(s) " + missing + ".");
  }
  return Ok();
}

Status AssertFeasible(Simulator& sim, const SectionFile& rules, const std::string& id) {
  auto errors = Feasibility(rules, sim.facts().Cluster().members.size());
  auto it = errors.find(id);
  if (it == errors.end()) return Ok();
  std::map<std::string, std::string> flat;
  for (const auto& [opt, msgs] : it->second) {
    std::string joined;
    for (const auto& m : msgs) joined += (joined.empty() ? "" : ", ") + m;
    flat[opt] = joined;
  }
  return Fail(ApiError{400, "Rule '" + id + "' is invalid.\n", flat, false});
}

// Options a rule or group section takes from request parameters (of its type).
void CopyHaOptions(const Params& p, Section& s, const SectionSchema& schema) {
  auto t = schema.types.find(s.type);
  if (t == schema.types.end()) return;
  for (const auto& [key, opt] : t->second) {
    if (!p.Has(key)) continue;
    std::string v = p.StrOr(key, "");
    if (opt.type == "boolean" || opt.type == "integer") s.values[key] = std::stoll(v); else s.values[key] = v;
  }
}

Status DeleteOptions(Section& s, const std::string& list, const SectionSchema& schema) {
  auto t = schema.types.find(s.type);
  for (const auto& k : SplitList(list)) {
    if (t == schema.types.end() || !t->second.contains(k)) return Die("no such option '" + k + "'");
    if (t->second.at(k).required) return Die("unable to delete required option '" + k + "'");
    s.values.erase(k);
  }
  return Ok();
}

std::unexpected<ApiError> Wrap(const std::string& prefix, const ApiError& e) { return Die(prefix + ": " + e.message); }

// ---- groups ----

Result<Reply> ListGroups(Call& c) {
  if (HaGroupsMigrated(c.sim)) return Die("cannot index groups: ha groups have been migrated to rules");
  SectionFile groups = ReadSections(c.sim, kHaGroupsFile, HaGroupSchema());
  json out = json::array();
  for (const auto& g : groups.sections) out.push_back(GroupJson(g, groups.digest));
  return Reply(out);
}

Result<Reply> ReadGroup(Call& c) {
  if (HaGroupsMigrated(c.sim)) return Die("cannot read group: ha groups have been migrated to rules");
  SectionFile groups = ReadSections(c.sim, kHaGroupsFile, HaGroupSchema());
  const Section* g = groups.Find(c.params.StrOr("group", ""));
  if (!g) return Die("no such ha group '" + c.params.StrOr("group", "") + "'");
  return Reply(GroupJson(*g, groups.digest));
}

Result<Reply> CreateGroup(Call& c) {
  if (HaGroupsMigrated(c.sim)) return Die("cannot create group: ha groups have been migrated to rules");
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  if (c.params.Has("type") && c.params.StrOr("type", "") != "group") return Die("types does not match");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile groups = ReadSections(c.sim, kHaGroupsFile, HaGroupSchema());
  std::string id = c.params.StrOr("group", "");
  if (groups.Find(id)) return Die("create ha group failed: ha group ID '" + id + "' already defined");
  Section g{"group", id, json::object()};
  CopyHaOptions(c.params, g, HaGroupSchema());
  groups.sections.push_back(g);
  if (auto st = WriteSections(c.sim, kHaGroupsFile, groups, HaGroupSchema()); !st) return Wrap("create ha group failed", st.error());
  return Reply(nullptr);
}

Result<Reply> UpdateGroup(Call& c) {
  if (HaGroupsMigrated(c.sim)) return Die("cannot update group: ha groups have been migrated to rules");
  if (c.params.Has("type") && c.params.StrOr("type", "") != "group") return Die("types does not match");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile groups = ReadSections(c.sim, kHaGroupsFile, HaGroupSchema());
  if (auto st = AssertDigest(c.params.Str("digest"), groups.digest); !st) return Wrap("update ha group failed", st.error());
  Section* g = groups.Find(c.params.StrOr("group", ""));
  if (!g) return Die("update ha group failed: no such ha group '" + c.params.StrOr("group", "") + "'");
  CopyHaOptions(c.params, *g, HaGroupSchema());
  if (auto st = DeleteOptions(*g, c.params.StrOr("delete", ""), HaGroupSchema()); !st) return Wrap("update ha group failed", st.error());
  if (auto st = WriteSections(c.sim, kHaGroupsFile, groups, HaGroupSchema()); !st) return Wrap("update ha group failed", st.error());
  return Reply(nullptr);
}

Result<Reply> DeleteGroup(Call& c) {
  if (HaGroupsMigrated(c.sim)) return Die("cannot delete group: ha groups have been migrated to rules");
  std::string id = c.params.StrOr("group", "");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  for (const auto& r : ReadHaResources(c.sim).sections)
    if (r.values.value("group", "") == id) return Die("delete ha group failed: ha group is used by service '" + SidOf(r) + "'");
  SectionFile groups = ReadSections(c.sim, kHaGroupsFile, HaGroupSchema());
  groups.Remove(id);
  if (auto st = WriteSections(c.sim, kHaGroupsFile, groups, HaGroupSchema()); !st) return Wrap("delete ha group failed", st.error());
  return Reply(nullptr);
}

// ---- rules (PVE 9) ----

SectionFile ReadRules(Simulator& sim) { return ReadSections(sim, kHaRulesFile, HaRuleSchema()); }

Result<Reply> ListRules(Call& c) {
  SectionFile rules = ReadRules(c.sim);
  auto errors = Feasibility(rules, c.sim.facts().Cluster().members.size());
  std::string type = c.params.StrOr("type", ""), resource = c.params.StrOr("resource", "");
  json out = json::array();
  size_t order = 0;
  for (const auto& r : rules.sections) {
    ++order;
    if (!type.empty() && r.type != type) continue;
    if (!resource.empty()) {
      auto list = SplitList(r.values.value("resources", ""));
      if (std::find(list.begin(), list.end(), resource) == list.end()) continue;
    }
    out.push_back(RuleJson(r, rules, order, errors));
  }
  return Reply(out);
}

Result<Reply> ReadRule(Call& c) {
  SectionFile rules = ReadRules(c.sim);
  auto errors = Feasibility(rules, c.sim.facts().Cluster().members.size());
  std::string id = c.params.StrOr("rule", "");
  size_t order = 0;
  for (const auto& r : rules.sections) {
    ++order;
    if (r.id == id) return Reply(RuleJson(r, rules, order, errors));
  }
  return Die("no such ha rule '" + id + "'");
}

Result<Reply> CreateRule(Call& c) {
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  if (!HaGroupsMigrated(c.sim)) return Die("cannot create ha rule: ha groups have not been migrated yet");
  std::string id = c.params.StrOr("rule", ""), type = c.params.StrOr("type", "");
  if (type == "node-affinity" && !c.params.Has("nodes")) return ParamError("nodes", "property is missing and it is not optional");
  if (type == "resource-affinity" && !c.params.Has("affinity")) return ParamError("affinity", "property is missing and it is not optional");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile rules = ReadRules(c.sim);
  if (rules.Find(id)) return Die("create ha rule failed: HA rule '" + id + "' already defined");
  if (auto st = CheckRuleParams(c.sim, c.params); !st) return Wrap("create ha rule failed", st.error());
  Section r{type, id, json::object()};
  CopyHaOptions(c.params, r, HaRuleSchema());
  if (r.values.contains("disable") && r.values["disable"] == 0) r.values.erase("disable");
  rules.sections.push_back(r);
  if (auto st = AssertFeasible(c.sim, rules, id); !st) return Fail(st.error());
  if (auto st = WriteSections(c.sim, kHaRulesFile, rules, HaRuleSchema()); !st) return Wrap("create ha rule failed", st.error());
  return Reply(nullptr);
}

Result<Reply> UpdateRule(Call& c) {
  if (!HaGroupsMigrated(c.sim)) return Die("cannot update ha rule: ha groups have not been migrated yet");
  std::string id = c.params.StrOr("rule", "");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile rules = ReadRules(c.sim);
  if (auto st = AssertDigest(c.params.Str("digest"), rules.digest); !st) return Wrap("update HA rules failed", st.error());
  Section* r = rules.Find(id);
  if (!r) return Die("update HA rules failed: HA rule '" + id + "' does not exist");
  if (c.params.StrOr("type", r->type) != r->type) return Die("update HA rules failed: types does not match");
  if (auto st = CheckRuleParams(c.sim, c.params); !st) return Wrap("update HA rules failed", st.error());
  CopyHaOptions(c.params, *r, HaRuleSchema());
  if (r->values.contains("disable") && r->values["disable"] == 0) r->values.erase("disable");
  if (auto st = DeleteOptions(*r, c.params.StrOr("delete", ""), HaRuleSchema()); !st) return Wrap("update HA rules failed", st.error());
  if (auto st = AssertFeasible(c.sim, rules, id); !st) return Fail(st.error());
  if (auto st = WriteSections(c.sim, kHaRulesFile, rules, HaRuleSchema()); !st) return Wrap("update HA rules failed", st.error());
  return Reply(nullptr);
}

Result<Reply> DeleteRule(Call& c) {
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile rules = ReadRules(c.sim);
  rules.Remove(c.params.StrOr("rule", ""));
  if (auto st = WriteSections(c.sim, kHaRulesFile, rules, HaRuleSchema()); !st) return Wrap("delete ha rule failed", st.error());
  return Reply(nullptr);
}

}  // namespace

void AddHaRuleRoutes(RouteTable& t) {
  t.Add("GET", "/cluster/ha/groups", kNoFlags, ListGroups);
  t.Add("POST", "/cluster/ha/groups", kNoFlags, CreateGroup);
  t.Add("GET", "/cluster/ha/groups/{group}", kNoFlags, ReadGroup);
  t.Add("PUT", "/cluster/ha/groups/{group}", kNoFlags, UpdateGroup);
  t.Add("DELETE", "/cluster/ha/groups/{group}", kNoFlags, DeleteGroup);
  t.Add("GET", "/cluster/ha/rules", kPve9Only, ListRules);
  t.Add("POST", "/cluster/ha/rules", kPve9Only, CreateRule);
  t.Add("GET", "/cluster/ha/rules/{rule}", kPve9Only, ReadRule);
  t.Add("PUT", "/cluster/ha/rules/{rule}", kPve9Only, UpdateRule);
  t.Add("DELETE", "/cluster/ha/rules/{rule}", kPve9Only, DeleteRule);
}

}  // namespace pvesim
