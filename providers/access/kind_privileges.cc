#include "providers/access/kind_privileges.h"

namespace hainfra::providers {

namespace {

// The guest kinds' privileges on /vms/{vmid}: create and delete, each config family they write, power,
// migration (VM.Clone for clones of templates), plus the storages and bridges their volumes and NICs use.
std::vector<std::string_view> GuestPrivileges(bool qemu) {
  std::vector<std::string_view> p = {"VM.Audit",         "VM.Allocate",       "VM.PowerMgmt",      "VM.Migrate",
                                     "VM.Config.Disk",   "VM.Config.CPU",     "VM.Config.Memory",  "VM.Config.Network",
                                     "VM.Config.Options", "Datastore.Audit",  "Datastore.AllocateSpace", "SDN.Use"};
  if (qemu) p.insert(p.end(), {"VM.Config.CDROM", "VM.Config.HWType", "VM.Config.Cloudinit", "VM.Clone"});
  return p;
}

}  // namespace

const std::vector<KindPrivileges>& PrivilegesByKind() {
  static const std::vector<KindPrivileges> table = {
      // GET /cluster/status, /nodes/{node}/status, /cluster/ha/status/current: Sys.Audit on / and the nodes.
      {"all", {"Sys.Audit"}},
      {"node", {"Sys.Audit"}},
      {"apt", {"Sys.Audit", "Sys.Modify"}},
      {"network", {"Sys.Audit", "Sys.Modify"}},
      {"vlan", {"SDN.Audit", "SDN.Allocate"}},
      {"ceph_pool", {"Sys.Audit", "Sys.Modify", "Datastore.Audit"}},
      {"storage", {"Datastore.Audit", "Datastore.Allocate"}},
      // download-url: Datastore.AllocateTemplate on the storage and Sys.AccessNetwork on the node; deleting a
      // superseded image: Datastore.Allocate.
      {"image", {"Datastore.Audit", "Datastore.AllocateTemplate", "Datastore.Allocate", "Sys.AccessNetwork", "VM.Audit"}},
      {"vm", GuestPrivileges(true)},
      {"ct", GuestPrivileges(false)},
      {"ha_group", {"Sys.Audit", "Sys.Console"}},
      {"ha_rule", {"Sys.Audit", "Sys.Console"}},
      {"ha_resource", {"Sys.Audit", "Sys.Console"}},
      {"backup_job", {"Sys.Audit", "Sys.Modify"}},
      // /cluster/options: read with Sys.Audit, written with Sys.Modify on /.
      {"datacenter", {"Sys.Audit", "Sys.Modify"}},
      // /pools: Pool.Audit to read, Pool.Allocate to write on /pool/{poolid}; adding or removing a member needs
      // the right to modify it (VM.Allocate on /vms/{vmid}, Datastore.Allocate on /storage/{storage}).
      {"pool", {"Pool.Audit", "Pool.Allocate", "VM.Allocate", "Datastore.Allocate"}},
      // nodes[].maintenance and baselines[].reboot: HA status and guests read, non-HA guests migrated or shut
      // down, Ceph's noout flag set (Sys.Modify), the node rebooted (Sys.PowerMgmt on /nodes/{node}).
      {"node_maintenance", {"Sys.Audit", "Sys.Modify", "VM.Audit", "VM.Migrate", "VM.PowerMgmt"}},
      {"node_reboot", {"Sys.Audit", "Sys.Modify", "Sys.PowerMgmt", "VM.Audit", "VM.Migrate", "VM.PowerMgmt"}},
      // /access/groups: listed with Sys.Audit, written with Group.Allocate on /access/groups.
      {"access_group", {"Sys.Audit", "Group.Allocate"}},
      // /access/users: written with Realm.AllocateUser on the realm and User.Modify on the groups.
      {"access_user", {"Sys.Audit", "User.Modify", "Realm.AllocateUser"}},
      // /cluster/firewall (options, rules, aliases, IP sets, groups): Sys.Audit to read, Sys.Modify to write on /.
      {"firewall_alias", {"Sys.Audit", "Sys.Modify"}},
      {"firewall_ipset", {"Sys.Audit", "Sys.Modify"}},
      {"firewall_group", {"Sys.Audit", "Sys.Modify"}},
      // /nodes/{node}/qemu|lxc/{vmid}/firewall: VM.Audit to read, VM.Config.Network to write on /vms/{vmid}.
      {"firewall_guest", {"VM.Audit", "VM.Config.Network"}},
      // /nodes/{node}/firewall: Sys.Audit to read, Sys.Modify to write on /nodes/{node}.
      {"firewall_node", {"Sys.Audit", "Sys.Modify"}},
      {"firewall_cluster", {"Sys.Audit", "Sys.Modify"}},
      // /cluster/replication: listed with VM.Audit on /vms/<guest>; written with VM.Replicate there (PVE 9;
      // PVE 8 checks Datastore.Allocate on /storage instead).
      {"replication", {"VM.Audit", "VM.Replicate", "Datastore.Allocate"}},
      // /cluster/notifications: Mapping.Audit/Modify on /mapping/notifications; writing a target also needs
      // Sys.Audit and Sys.Modify on / (or Sys.AccessNetwork).
      {"notification_sendmail", {"Mapping.Audit", "Mapping.Modify", "Sys.Audit", "Sys.Modify"}},
      {"notification_smtp", {"Mapping.Audit", "Mapping.Modify", "Sys.Audit", "Sys.Modify"}},
      {"notification_gotify", {"Mapping.Audit", "Mapping.Modify", "Sys.Audit", "Sys.Modify"}},
      {"notification_webhook", {"Mapping.Audit", "Mapping.Modify", "Sys.Audit", "Sys.Modify"}},
      {"notification_matcher", {"Mapping.Audit", "Mapping.Modify"}},
      // /cluster/metrics/server: Sys.Audit to read, Sys.Modify on / to write.
      {"metric_server", {"Sys.Audit", "Sys.Modify"}},
      // /cluster/mapping/pci, /usb: listed with Mapping.Audit, written with Mapping.Modify on /mapping/<bus>.
      {"pci_mapping", {"Mapping.Audit", "Mapping.Modify"}},
      {"usb_mapping", {"Mapping.Audit", "Mapping.Modify"}},
      // /nodes/{node}/dns, /time, /hosts: Sys.Audit to read, Sys.Modify on the node to write.
      {"node_settings", {"Sys.Audit", "Sys.Modify"}},
      // /access/roles: written with Sys.Modify on /access; the lock-out check reads the ACL (Sys.Audit).
      {"access_role", {"Sys.Audit", "Sys.Modify"}},
      // /access/users/{userid}/token: User.Modify on the user's groups; listed with Sys.Audit.
      {"access_token", {"Sys.Audit", "User.Modify"}},
      // PUT /access/acl: Permissions.Modify on the path (else only roles whose privileges the token holds).
      {"access_acl", {"Sys.Audit", "Permissions.Modify"}},
      // /access/domains: written with Realm.Allocate on /access/realm, read with Sys.Audit.
      {"access_realm", {"Sys.Audit", "Realm.Allocate"}},
      // /cluster/acme/plugins: read and written with Sys.Modify on / (the list too: it holds credentials).
      {"acme_plugin", {"Sys.Modify"}},
  };
  return table;
}

std::vector<std::string_view> PrivilegesOf(std::string_view kind) {
  for (const KindPrivileges& k : PrivilegesByKind()) {
    if (k.kind == kind) return k.privileges;
  }
  return {};
}

std::set<std::string> KindsUsed(const Spec& spec) {
  std::set<std::string> kinds;
  for (const Resource& r : spec.objects) {
    kinds.insert(r.address.kind);
    if (r.address.kind == "node" && r.body.is_object() && r.body.contains("network")) kinds.insert("network");
    if (r.address.kind == "baseline" && r.body.is_object() && r.body.contains("apt")) kinds.insert("apt");
    if (r.address.kind == "node" && r.body.is_object() && r.body.contains("maintenance")) kinds.insert("node_maintenance");
    if (r.address.kind == "baseline" && r.body.is_object() && r.body.contains("reboot")) kinds.insert("node_reboot");
    if (r.address.kind == "node" && r.body.is_object() &&
        (r.body.contains("dns") || r.body.contains("timezone") || r.body.contains("hosts"))) {
      kinds.insert("node_settings");
    }
  }
  return kinds;
}

std::set<std::string> RequiredPrivileges(const std::set<std::string>& kinds) {
  std::set<std::string> out;
  for (const KindPrivileges& k : PrivilegesByKind()) {
    if (k.kind != "all" && !kinds.contains(std::string(k.kind))) continue;
    for (std::string_view p : k.privileges) out.insert(std::string(p));
  }
  return out;
}

std::string PrivilegesMarkdown() {
  std::string out = "| kind | privileges (on `/`, propagated) |\n|---|---|\n";
  for (const KindPrivileges& k : PrivilegesByKind()) {
    std::set<std::string_view> sorted(k.privileges.begin(), k.privileges.end());
    std::string list;
    for (std::string_view p : sorted) list += (list.empty() ? "`" : " `") + std::string(p) + "`";
    out += "| " + std::string(k.kind) + " | " + list + " |\n";
  }
  return out;
}

}  // namespace hainfra::providers
