// The HA configuration files of pve-ha-manager: ha/resources.cfg ("vm: 100" sections, sid "vm:100"),
// ha/groups.cfg (PVE 8; migrated to rules on PVE 9) and ha/rules.cfg (PVE 9: node-affinity and
// resource-affinity rules).
#pragma once

#include <optional>
#include <string>

#include "sim/pvesim/section_config.h"
#include "sim/pvesim/simulator.h"

namespace pvesim {

const SectionSchema& HaResourceSchema();
const SectionSchema& HaGroupSchema();
const SectionSchema& HaRuleSchema();

inline const char* kHaResourcesFile = "ha/resources.cfg";
inline const char* kHaGroupsFile = "ha/groups.cfg";
inline const char* kHaRulesFile = "ha/rules.cfg";
inline const char* kHaCrmCommandsFile = "ha/crm_commands";  // queued `ha-manager crm-command`s

SectionFile ReadHaResources(Simulator& sim);
// The resource section of a sid ("vm:100"), or nullptr.
Section* FindHaResource(SectionFile& resources, const std::string& sid);
const Section* FindHaResource(const SectionFile& resources, const std::string& sid);
std::string SidOf(const Section& resource);  // "vm:100"
// vm_is_ha_managed: the guest has an HA resource.
bool VmIsHaManaged(Simulator& sim, int vmid);
// ct:<vmid> is in resources.cfg.
bool CtIsHaManaged(Simulator& sim, int vmid);
// The requested state of a resource ("started" when unset).
std::string HaRequestState(const Section& resource);
// Sets the requested state of vm:<vmid> (ha-manager set --state); false if it is not HA managed.
Result<bool> SetHaRequestState(Simulator& sim, int vmid, const std::string& state);
// The same for any sid ("ct:101").
Result<bool> SetHaRequestStateOf(Simulator& sim, const std::string& sid, const std::string& state);
// Removes a sid from resources.cfg, and with purge from every rule (rules left empty are deleted).
Status DeleteHaResource(Simulator& sim, const std::string& sid, bool purge);

// have_groups_been_migrated: on PVE 9, no group left in groups.cfg means groups are gone for good.
bool HaGroupsMigrated(Simulator& sim);

// "node1:2,node2" -> {node1: 2, node2: 0}
std::map<std::string, int> ParseNodePriorities(const std::string& nodes);

}  // namespace pvesim
