// The handler modules' route registration functions, called in one list by routes.cc.
#pragma once

namespace pvesim {

class RouteTable;

void AddAccessRoutes(RouteTable& table);          // api_access.cc: /access/ticket, /access/domains
void AddAccessUserRoutes(RouteTable& table);      // api_access_users.cc: /access/users, their tokens
void AddAccessAclRoutes(RouteTable& table);       // api_access_acl.cc: groups, roles, acl, permissions
void AddVersionAndNodeRoutes(RouteTable& table);  // api_nodes.cc: /version, /nodes, /nodes/{node}/status ...
void AddClusterStatusRoutes(RouteTable& table);   // api_cluster.cc: /cluster/status, /resources, /nextid
void AddTaskRoutes(RouteTable& table);            // api_tasks.cc: /nodes/{node}/tasks...
void AddClusterConfigRoutes(RouteTable& table);   // api_cluster_config.cc: /cluster/config, nodes, join, totem
void AddClusterOptionsRoutes(RouteTable& table);  // api_cluster_options.cc: /cluster/options (datacenter.cfg)
void AddHaResourceRoutes(RouteTable& table);      // api_ha_resources.cc: /cluster/ha, resources, status
void AddHaRuleRoutes(RouteTable& table);          // api_ha_rules.cc: /cluster/ha/groups, /cluster/ha/rules
void AddNetworkRoutes(RouteTable& table);         // api_network.cc: /nodes/{node}/network
void AddSdnRoutes(RouteTable& table);             // api_sdn.cc: /cluster/sdn zones, vnets, subnets, apply, lock
void AddStorageRoutes(RouteTable& table);         // api_storage.cc: /storage, /nodes/{node}/storage
void AddStorageContentRoutes(RouteTable& table);  // api_storage_content.cc: content, volumes, download-url
void AddAplinfoRoutes(RouteTable& table);         // api_aplinfo.cc: the appliance index and its downloads
void AddCephRoutes(RouteTable& table);            // api_ceph.cc: pools, rules, osd tree, flags, status
void AddBackupRoutes(RouteTable& table);          // api_backup.cc: /cluster/backup
void AddAptRoutes(RouteTable& table);             // api_apt.cc: /nodes/{node}/apt
void AddPoolRoutes(RouteTable& table);            // api_pools.cc: /pools
void AddQemuRoutes(RouteTable& table);            // api_qemu.cc: list, create, index, destroy
void AddQemuConfigRoutes(RouteTable& table);      // api_qemu_config.cc: config GET/POST/PUT, pending
void AddQemuStatusRoutes(RouteTable& table);      // api_qemu_status.cc: status/current and power tasks
void AddQemuMigrateRoutes(RouteTable& table);     // api_qemu_migrate.cc: migrate preconditions and tasks
void AddQemuResizeRoutes(RouteTable& table);      // api_qemu_resize.cc: disk resize tasks
void AddQemuCloneRoutes(RouteTable& table);       // api_qemu_clone.cc: clone and convert to template
void AddLxcRoutes(RouteTable& table);             // api_lxc.cc: list, create, destroy, status, migrate, template
void AddLxcConfigRoutes(RouteTable& table);       // api_lxc_config.cc: config GET/PUT, pending, resize, move_volume
void AddReplicationRoutes(RouteTable& table);     // api_replication.cc: /cluster/replication
void AddNotificationRoutes(RouteTable& table);    // api_notifications.cc: /cluster/notifications targets, matchers
void AddMetricServerRoutes(RouteTable& table);    // api_metrics.cc: /cluster/metrics/server
void AddMappingRoutes(RouteTable& table);         // api_mapping.cc: /cluster/mapping/pci, /usb
void AddNodeSystemRoutes(RouteTable& table);      // api_node_system.cc: /nodes/{node}/dns, /time, /hosts
void AddAcmeRoutes(RouteTable& table);            // api_acme.cc: /cluster/acme accounts, plugins, directories, tos
void AddCertificateRoutes(RouteTable& table);     // api_certificates.cc: node config acme keys, /nodes/{node}/certificates

}  // namespace pvesim
