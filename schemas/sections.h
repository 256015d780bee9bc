// The spec's sections: where each kind of object is written in the YAML, how it is named, and the field
// definitions of one object. This explicit list is the single source of truth for the loader, the JSON
// Schema, the reference docs and the diff semantics of every kind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

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

// Settings sections: singletons that configure hainfra itself rather than declare cluster objects, so no
// kind plans them (`enforcement`). The loader keeps each as one object addressed `<kind>/<kind>` (its
// `identity` is empty) so that checks locate their fields; the JSON Schema and the docs list them too.
const std::vector<SectionSpec>& SettingsSections();
const SectionSpec* FindSettingsSection(std::string_view kind);

// Every kind name a plan address can carry: the sections' kinds that a kind plans, and the kinds that plan
// parts of a section (`network` from `nodes[].network`, `corosync` from `cluster`, `apt`/`packages`/`sshd`
// from `baselines`), each with the section it is written in.
struct PlanKind {
  std::string kind;
  std::string section;      // the SectionSpec kind it is written in
  bool node_level = false;  // changes the nodes themselves (membership, corosync, network, baseline): an
                            // unattended run makes such changes only when every node is online
};
const std::vector<PlanKind>& PlanKinds();

// One function per section, each in its own schemas/<kind>_fields.cc.
SectionSpec ClusterSection();
SectionSpec DatacenterSection();  // datacenter_fields.cc: `datacenter` (one per spec, no identity field)
SectionSpec NodeSection();
SectionSpec VlanSection();
SectionSpec CephPoolSection();
SectionSpec StorageSection();
SectionSpec ImageSection();
// The volume ID an `images` entry names, as guests refer to it: `STORAGE:CONTENT/FILE` (a template is
// `vztmpl/`, a url's file defaults to the URL's last part), e.g. `local:iso/debian-12.7.0-amd64-netinst.iso`.
std::string ImageVolume(const nlohmann::json& image);
SectionSpec HaGroupSection();
SectionSpec HaRuleSection();
SectionSpec HaResourceSection();
SectionSpec VmSection();
SectionSpec CtSection();  // ct_fields.cc: `containers`
SectionSpec PoolSection();  // pool_fields.cc: `pools`
SectionSpec BackupJobSection();
SectionSpec BaselineSection();
SectionSpec AccessUserSection();   // access_fields.cc: `access.users`
SectionSpec AccessGroupSection();  // access_fields.cc: `access.groups`
SectionSpec AccessRoleSection();   // access_fields.cc: `access.roles`
SectionSpec AccessTokenSection();  // access_fields.cc: `access.tokens`
SectionSpec AccessAclSection();    // access_fields.cc: `access.acl`
SectionSpec AccessRealmSection();  // access_fields.cc: `access.realms`
// Every privilege of Proxmox VE 8 and 9 (`access.roles[].privs`).
const std::vector<std::string>& AccessPrivilegeNames();
SectionSpec EnforcementSection();
SectionSpec ReplicationSection();  // replication_fields.cc: `replication`
// notification_fields.cc: `notifications.sendmail`, `.smtp`, `.gotify`, `.webhooks`, `.matchers`
SectionSpec NotificationSendmailSection();
SectionSpec NotificationSmtpSection();
SectionSpec NotificationGotifySection();
SectionSpec NotificationWebhookSection();
SectionSpec NotificationMatcherSection();
SectionSpec MetricServerSection();  // metric_server_fields.cc: `metric_servers`
SectionSpec PciMappingSection();    // mapping_fields.cc: `mappings.pci`
SectionSpec UsbMappingSection();    // mapping_fields.cc: `mappings.usb`
SectionSpec AcmePluginSection();    // acme_fields.cc: `certificates.acme_plugins`

// The settings of one HA resource (everything but its `sid`): shared by `ha.resources` entries and the
// `ha:` shorthand of a VM, so both forms accept exactly the same keys.
std::vector<FieldSpec> HaResourceSettings();

// A backup retention object (`keep_last`, `keep_daily`, ...): shared by storages and backup jobs.
FieldSpec PruneObject(std::string name, std::string doc);

}  // namespace hainfra::schemas
