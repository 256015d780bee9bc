// `hainfra reboot [NODE...]`: a rolling reboot, one node at a time with HA maintenance around each
// (providers/maintenance/rolling_reboot.h). Without NODEs: the nodes whose newest kernel is not running.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cli/cluster_session.h"
#include "cli/command_options.h"
#include "providers/maintenance/rolling_reboot.h"

namespace hainfra::cli {

struct RebootOptions {
  std::vector<std::string> nodes;  // in this order; empty: the nodes with a reboot pending
  bool no_lock = false;            // --no-lock
  maintenance::RollOptions roll;
  // The HA manager's command for a node; default: `ha-manager crm-command` over SSH on a quorate node.
  std::function<maintenance::CrmCommand(const std::string& node)> crm_for;
  // Other members' own API endpoints (node -> endpoint), for the turn of the node answering hainfra's API;
  // default: HAINFRA_NODE_ENDPOINTS, else each member's /cluster/status address on the endpoint's port.
  std::map<std::string, std::string> node_endpoints;
};

// Exit 0 when every node rebooted and came back (or none needed it); 1 with the report otherwise.
int RunReboot(ClusterSession& session, RebootOptions options, Console& console);

}  // namespace hainfra::cli
