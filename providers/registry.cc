#include "providers/registry.h"

#include "providers/kind_deps.h"
#include "providers/kinds/access.h"
#include "providers/kinds/access_acl.h"
#include "providers/kinds/access_realm.h"
#include "providers/kinds/access_role.h"
#include "providers/kinds/access_token.h"
#include "providers/kinds/apt_repository.h"
#include "providers/kinds/backup_job.h"
#include "providers/kinds/ceph_pool.h"
#include "providers/kinds/ct.h"
#include "providers/kinds/corosync.h"
#include "providers/kinds/datacenter.h"
#include "providers/kinds/firewall.h"
#include "providers/kinds/firewall_objects.h"
#include "providers/kinds/ha_group.h"
#include "providers/kinds/ha_resource.h"
#include "providers/kinds/ha_rule.h"
#include "providers/kinds/image.h"
#include "providers/kinds/mapping.h"
#include "providers/kinds/metric_server.h"
#include "providers/kinds/network.h"
#include "providers/kinds/node_maintenance_kind.h"
#include "providers/kinds/node_membership.h"
#include "providers/kinds/node_reboot_kind.h"
#include "providers/kinds/node_settings.h"
#include "providers/kinds/notification.h"
#include "providers/kinds/packages.h"
#include "providers/kinds/pool.h"
#include "providers/kinds/qdevice.h"
#include "providers/kinds/replication.h"
#include "providers/kinds/sshd.h"
#include "providers/kinds/storage.h"
#include "providers/kinds/vlan.h"
#include "providers/kinds/vm.h"
#include "providers/kinds/acme_plugin.h"

namespace hainfra::providers {

std::vector<std::unique_ptr<ResourceKind>> MakeKinds(KindDeps& deps) {
  std::vector<std::unique_ptr<ResourceKind>> kinds;
  // Over SSH (each refuses clearly when it has objects to manage and no SSH).
  kinds.push_back(MakePackagesKind(deps));
  kinds.push_back(MakeSshdKind(deps));
  kinds.push_back(MakeCorosyncKind(deps));
  kinds.push_back(MakeQdeviceKind(deps));
  if (deps.api == nullptr) return kinds;
  // Over the API.
  transport::ApiClient& api = *deps.api;
  const int pve = deps.pve.major;
  kinds.push_back(std::make_unique<DatacenterKind>(api, pve));
  kinds.push_back(MakeNodeMembershipKind(deps));
  kinds.push_back(MakeNodeMaintenanceKind(deps));
  kinds.push_back(MakeAptRepositoryKind(deps));
  kinds.push_back(MakeNodeRebootKind(deps));
  kinds.push_back(std::make_unique<NetworkKind>(deps));
  kinds.push_back(std::make_unique<VlanKind>(deps));
  kinds.push_back(std::make_unique<CephPoolKind>(api));
  kinds.push_back(std::make_unique<StorageKind>(api));
  kinds.push_back(std::make_unique<ImageKind>(deps));
  // One guest list read per plan for VMs and containers (with SSH, their config files in the same read).
  // One bulk read of /etc/pve per observation with SSH, shared by the guest kinds and the section kinds that
  // build their list from pmxcfs (issue 19).
  auto pmxcfs = std::make_shared<PmxcfsReader>(deps.ssh);
  auto guests = std::make_shared<GuestList>(&api, pmxcfs);
  kinds.push_back(std::make_unique<VmKind>(deps, guests));
  kinds.push_back(std::make_unique<CtKind>(deps, guests));
  if (pve >= 9) kinds.push_back(std::make_unique<HaGroupRuleKind>(api, pmxcfs));  // groups are rules on PVE 9
  else kinds.push_back(std::make_unique<HaGroupKind>(api, pmxcfs));
  kinds.push_back(std::make_unique<HaRuleKind>(api, pve, pmxcfs));
  kinds.push_back(std::make_unique<HaResourceKind>(api, pve, pmxcfs));
  kinds.push_back(std::make_unique<PoolKind>(api));
  kinds.push_back(std::make_unique<BackupJobKind>(api));
  kinds.push_back(std::make_unique<AccessGroupKind>(api));
  kinds.push_back(std::make_unique<AccessUserKind>(api));
  kinds.push_back(std::make_unique<FirewallAliasKind>(api));
  kinds.push_back(std::make_unique<FirewallSetKind>(api, FirewallSetKind::What::kIpset));
  kinds.push_back(std::make_unique<FirewallSetKind>(api, FirewallSetKind::What::kGroup));
  kinds.push_back(std::make_unique<FirewallLevelKind>(deps, FirewallLevel::kGuest));
  kinds.push_back(std::make_unique<FirewallLevelKind>(deps, FirewallLevel::kNode));
  kinds.push_back(std::make_unique<FirewallLevelKind>(deps, FirewallLevel::kCluster));
  kinds.push_back(std::make_unique<ReplicationKind>(api));
  for (const char* type : {"sendmail", "smtp", "gotify"}) kinds.push_back(std::make_unique<NotificationTargetKind>(api, type));
  kinds.push_back(std::make_unique<NotificationWebhookKind>(api));
  kinds.push_back(std::make_unique<NotificationMatcherKind>(api));
  kinds.push_back(std::make_unique<MetricServerKind>(api));
  kinds.push_back(std::make_unique<HardwareMappingKind>(api, "pci"));
  kinds.push_back(std::make_unique<HardwareMappingKind>(api, "usb"));
  kinds.push_back(MakeNodeSettingsKind(deps));
  kinds.push_back(std::make_unique<AccessRoleKind>(api, pve));
  kinds.push_back(std::make_unique<AccessTokenKind>(api));
  kinds.push_back(std::make_unique<AccessAclKind>(api));
  kinds.push_back(std::make_unique<AccessRealmKind>(api));
  kinds.push_back(std::make_unique<AcmePluginKind>(api));
  return kinds;
}

}  // namespace hainfra::providers
