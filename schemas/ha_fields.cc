// `ha:` — HA groups (PVE 8), HA rules (PVE 9) and HA resources, with pve-ha-manager's formats.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {
namespace {

// node name -> priority (higher is preferred), as in `pve-01:2,pve-02:1`.
FieldSpec NodePriorities(std::string doc) {
  return Map("nodes", std::move(doc), Int("priority", "").Min(0)).Format("pve-node").Ref("node");
}

}  // namespace

std::vector<FieldSpec> HaResourceSettings() {
  return {
      Enum("state", "requested HA state (default started); absent removes the resource from HA",
           {"started", "stopped", "enabled", "disabled", "ignored", "absent"}),
      String("group", "HA group (PVE 8; PVE 9 migrates groups to node-affinity rules)").Format("pve-configid")
          .Ref("ha_group"),
      Int("max_restart", "restart attempts on the same node (default 1)").Min(0),
      Int("max_relocate", "relocation attempts to other nodes (default 1)").Min(0),
      Bool("failback", "move back to the preferred node when it returns (PVE 9, default true)"),
      String("comment", "free text").MaxLength(4096),
  };
}

SectionSpec HaGroupSection() {
  return {.path = "ha.groups",
          .kind = "ha_group",
          .identity = "name",
          .item = Object("ha_group", "An HA group (PVE 8)",
                         {
                             String("name", "group id").Format("pve-configid").Required().Example("hpc-first"),
                             StateField({"present", "absent"}, "absent deletes the group"),
                             FieldSpec(NodePriorities("member nodes and their priorities")),
                             Bool("restricted", "resources may run only on the member nodes"),
                             Bool("nofailback", "do not move back when a higher-priority node returns"),
                             String("comment", "free text").MaxLength(4096),
                         })};
}

SectionSpec HaRuleSection() {
  FieldSpec nodes = NodePriorities("node-affinity: allowed nodes and their priorities");
  return {.path = "ha.rules",
          .kind = "ha_rule",
          .identity = "name",
          .item = Object("ha_rule", "An HA rule (PVE 9)",
                         {
                             String("name", "rule id").Format("pve-configid").Required().Example("k8s-spread"),
                             StateField({"present", "absent"}, "absent deletes the rule"),
                             Enum("type", "rule type", {"node-affinity", "resource-affinity"}).Required()
                                 .ForceNew(),
                             List("resources", "the HA resources the rule applies to",
                                  String("sid", "").Format("ha-sid").Ref("ha_resource"))
                                 .Set()
                                 .Required(),
                             Enum("affinity", "resource-affinity: keep together or apart",
                                  {"positive", "negative"}),
                             std::move(nodes),
                             Bool("strict", "node-affinity: never run elsewhere"),
                             Bool("disable", "keep the rule but do not enforce it"),
                             String("comment", "free text").MaxLength(4096),
                         })};
}

SectionSpec HaResourceSection() {
  std::vector<FieldSpec> fields = {
      String("sid", "the guest, as vm:<vmid> or ct:<vmid>").Format("ha-sid").Required().Example("vm:100"),
  };
  for (FieldSpec& f : HaResourceSettings()) fields.push_back(std::move(f));
  return {.path = "ha.resources",
          .kind = "ha_resource",
          .identity = "sid",
          .item = Object("ha_resource", "A guest managed by HA (also written as a VM's or container's `ha:`)", std::move(fields))};
}

}  // namespace hainfra::schemas
