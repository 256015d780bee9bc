// The spec's sections: where each kind of object is written in the YAML, how it is named, and the field
// definitions of one object. This explicit list is the single source of truth for the loader, the JSON
// Schema, the reference docs and the diff semantics of every kind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hainfra/field.h"

namespace hainfra::schemas {

struct SectionSpec {
  std::string path;      // YAML location: "vms", "nodes", "ha.rules", "ceph.pools", "cluster" (singleton)
  std::string kind;      // address prefix of its objects: "vm", "node", "ha_rule", "ceph_pool", "cluster"
  std::string identity;  // the field naming an object: "vmid", "name", "id", ...
  bool singleton = false;
  FieldSpec item;        // kObject describing one object (include/hainfra/field.h)
};

// Every section, in the plan order of the brief (cluster first, baselines last).
const std::vector<SectionSpec>& Sections();

// The section whose objects have this kind ("vm"); nullptr when there is none.
const SectionSpec* FindSection(std::string_view kind);

// One function per section, each in its own schemas/<kind>_fields.cc.
SectionSpec ClusterSection();
SectionSpec NodeSection();
SectionSpec VlanSection();
SectionSpec CephPoolSection();
SectionSpec StorageSection();
SectionSpec HaGroupSection();
SectionSpec HaRuleSection();
SectionSpec HaResourceSection();
SectionSpec VmSection();
SectionSpec CtSection();  // ct_fields.cc: `containers`
SectionSpec BackupJobSection();
SectionSpec BaselineSection();

// The settings of one HA resource (everything but its `sid`): shared by `ha.resources` entries and the
// `ha:` shorthand of a VM, so both forms accept exactly the same keys.
std::vector<FieldSpec> HaResourceSettings();

// A backup retention object (`keep_last`, `keep_daily`, ...): shared by storages and backup jobs.
FieldSpec PruneObject(std::string name, std::string doc);

}  // namespace hainfra::schemas
