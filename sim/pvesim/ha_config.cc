#include "sim/pvesim/ha_config.h"

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/formats.h"

namespace pvesim {

const SectionSchema& HaResourceSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    std::map<std::string, SectionOption> opts = {{"state", Opt()}, {"group", Opt()}, {"max_restart", Opt("integer")},
                                                 {"max_relocate", Opt("integer")}, {"failback", Opt("boolean")},
                                                 {"comment", Opt()}};
    s.types["vm"] = opts;
    s.types["ct"] = opts;
    return s;
  }();
  return schema;
}

const SectionSchema& HaGroupSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    s.types["group"] = {{"nodes", Req()}, {"restricted", Opt("boolean")}, {"nofailback", Opt("boolean")},
                        {"comment", Opt()}};
    return s;
  }();
  return schema;
}

const SectionSchema& HaRuleSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    s.types["node-affinity"] = {{"resources", Req()}, {"nodes", Req()}, {"strict", Opt("boolean")},
                                {"disable", Opt("boolean")}, {"comment", Opt()}};
    s.types["resource-affinity"] = {{"resources", Req()}, {"affinity", Req()}, {"disable", Opt("boolean")},
                                    {"comment", Opt()}};
    return s;
  }();
  return schema;
}

bool HaGroupsMigrated(Simulator& sim) {
  if (sim.pve() != 9) return false;
  return ReadSections(sim, kHaGroupsFile, HaGroupSchema()).sections.empty();
}

SectionFile ReadHaResources(Simulator& sim) { return ReadSections(sim, kHaResourcesFile, HaResourceSchema()); }

std::string SidOf(const Section& resource) { return resource.type + ":" + resource.id; }

Section* FindHaResource(SectionFile& resources, const std::string& sid) {
  for (auto& s : resources.sections)
    if (SidOf(s) == sid) return &s;
  return nullptr;
}

const Section* FindHaResource(const SectionFile& resources, const std::string& sid) {
  for (const auto& s : resources.sections)
    if (SidOf(s) == sid) return &s;
  return nullptr;
}

bool VmIsHaManaged(Simulator& sim, int vmid) {
  SectionFile res = ReadHaResources(sim);
  return FindHaResource(res, "vm:" + std::to_string(vmid)) != nullptr;
}

bool CtIsHaManaged(Simulator& sim, int vmid) {
  SectionFile res = ReadHaResources(sim);
  return FindHaResource(res, "ct:" + std::to_string(vmid)) != nullptr;
}

std::string HaRequestState(const Section& resource) {
  std::string state = resource.values.value("state", "started");
  return state == "enabled" ? "started" : state;
}

Result<bool> SetHaRequestState(Simulator& sim, int vmid, const std::string& state) {
  return SetHaRequestStateOf(sim, "vm:" + std::to_string(vmid), state);
}

Result<bool> SetHaRequestStateOf(Simulator& sim, const std::string& sid, const std::string& state) {
  std::lock_guard<std::mutex> lock(sim.mu());
  SectionFile res = ReadHaResources(sim);
  Section* s = FindHaResource(res, sid);
  if (!s) return false;
  s->values["state"] = state;
  if (auto st = WriteSections(sim, kHaResourcesFile, res, HaResourceSchema()); !st) return Fail(st.error());
  return true;
}

Status DeleteHaResource(Simulator& sim, const std::string& sid, bool purge) {
  SectionFile res = ReadHaResources(sim);
  auto colon = sid.find(':');
  std::string type = sid.substr(0, colon), id = sid.substr(colon + 1);
  bool removed = std::erase_if(res.sections, [&](const Section& s) { return s.type == type && s.id == id; }) > 0;
  if (removed) {
    if (auto st = WriteSections(sim, kHaResourcesFile, res, HaResourceSchema()); !st) return st;
  }
  if (purge && sim.fs().Read(kHaRulesFile)) {
    SectionFile rules = ReadSections(sim, kHaRulesFile, HaRuleSchema());
    for (auto& rule : rules.sections) {
      std::string kept;
      for (const auto& r : SplitList(rule.values.value("resources", ""))) {
        if (r != sid) kept += (kept.empty() ? "" : ",") + r;
      }
      rule.values["resources"] = kept;
    }
    std::erase_if(rules.sections, [](const Section& s) { return s.values.value("resources", "").empty(); });
    if (auto st = WriteSections(sim, kHaRulesFile, rules, HaRuleSchema()); !st) return st;
  }
  return Ok();
}

std::map<std::string, int> ParseNodePriorities(const std::string& nodes) {
  std::map<std::string, int> out;
  for (const auto& entry : SplitList(nodes)) {
    auto colon = entry.find(':');
    int prio = 0;
    if (colon != std::string::npos) {
      try { prio = std::stoi(entry.substr(colon + 1)); } catch (...) { prio = 0; }
    }
    out[entry.substr(0, colon)] = prio;
  }
  return out;
}

}  // namespace pvesim
