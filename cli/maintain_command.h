// `hainfra maintain NODE --enter|--exit [--policy migrate|shutdown|leave]`: HA-aware node maintenance for
// ad-hoc work (providers/maintenance/node_maintenance.h), under the cluster lock like an apply.
#pragma once

#include <string>

#include "cli/cluster_session.h"
#include "cli/command_options.h"
#include "providers/maintenance/node_maintenance.h"

namespace hainfra::cli {

struct MaintainOptions {
  std::string node;
  bool enter = false;   // --enter
  bool exit = false;    // --exit
  bool no_lock = false; // --no-lock: without the cluster lock
  maintenance::MaintenanceOptions maintenance;
  // How the HA manager command is sent; default: `ha-manager crm-command` over SSH on a quorate node.
  maintenance::CrmCommand crm;
};

// Exit 0 when the node is in (or out of) maintenance; 1 with the reason otherwise.
int RunMaintain(ClusterSession& session, MaintainOptions options, Console& console);

}  // namespace hainfra::cli
