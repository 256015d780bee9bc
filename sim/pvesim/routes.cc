// The explicit list of API handler modules: adding a module is one line here.
#include "sim/pvesim/api_firewall.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/router.h"

namespace pvesim {

void RegisterAllRoutes(RouteTable& table) {
  AddAccessRoutes(table);
  AddVersionAndNodeRoutes(table);
  AddClusterStatusRoutes(table);
  AddClusterConfigRoutes(table);
  AddClusterOptionsRoutes(table);
  AddTaskRoutes(table);
  AddNetworkRoutes(table);
  AddSdnRoutes(table);
  AddStorageRoutes(table);
  AddStorageContentRoutes(table);
  AddAplinfoRoutes(table);
  AddCephRoutes(table);
  AddBackupRoutes(table);
  AddAptRoutes(table);
  AddPoolRoutes(table);
  AddHaResourceRoutes(table);
  AddHaRuleRoutes(table);
  AddQemuRoutes(table);
  AddQemuConfigRoutes(table);
  AddQemuStatusRoutes(table);
  AddQemuMigrateRoutes(table);
  AddQemuResizeRoutes(table);
  AddQemuCloneRoutes(table);
  AddLxcRoutes(table);
  AddLxcConfigRoutes(table);
  AddFirewallRoutes(table);
  AddReplicationRoutes(table);
  AddNotificationRoutes(table);
  AddMetricServerRoutes(table);
  AddMappingRoutes(table);
  AddNodeSystemRoutes(table);
  AddAcmeRoutes(table);
  AddCertificateRoutes(table);
}

}  // namespace pvesim
