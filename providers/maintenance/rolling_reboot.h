// Rolling reboots: nodes reboot one at a time while HA guests keep running. Per node: quorum gate (every
// node online) → enter maintenance → reboot → wait until the node went down and came back, the cluster is
// quorate, its LRM is alive, Ceph's OSDs are all up with nothing but our noout to complain about → leave
// maintenance → next node. The first failure stops the roll; the report says where and what state it left.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "providers/maintenance/node_maintenance.h"

namespace hainfra::maintenance {

struct RollOptions {
  MaintenanceOptions maintenance;  // guest policy, the maintenance waits, progress lines
  std::chrono::milliseconds down_timeout{std::chrono::minutes(2)};  // the node must go down after the request
  std::chrono::milliseconds up_timeout{std::chrono::minutes(10)};   // node, quorum, LRM and Ceph back
  // How a node is rebooted; default: POST /nodes/{node}/status command=reboot (Proxmox's own reboot).
  std::function<Status(const std::string& node)> reboot;
  // The API to use for a node's turn (api_relay.h: another member's while the node answering hainfra's API
  // reboots); default: the API RollingReboot is given.
  std::function<Result<transport::ApiClient*>(const std::string& node)> api_for;
};

// Reboots `nodes` in order. `crm_for(node)` sends the HA manager's commands for that node.
Status RollingReboot(transport::ApiClient& api, const std::function<CrmCommand(const std::string&)>& crm_for,
                     const std::vector<std::string>& nodes, const RollOptions& options);

// Nodes (online, in name order) whose newest installed kernel is not the running one.
Result<std::vector<std::string>> NodesWithRebootPending(transport::ApiClient& api);

}  // namespace hainfra::maintenance
