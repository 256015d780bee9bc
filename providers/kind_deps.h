// What resource kinds need to reach the cluster: the two transports and the Proxmox version, built by the
// composition root (cli/) and handed to MakeKinds. Kinds borrow them; the root owns them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "providers/transport/api_client.h"
#include "providers/transport/pve_version.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::providers {

struct KindDeps {
  transport::ApiClient* api = nullptr;  // every run has one
  transport::SshClient* ssh = nullptr;  // null when no declared kind works over SSH
  transport::PveVersion pve;            // from GET /version (major 8 or 9)
  // How the HA manager's command (`ha-manager crm-command` arguments) for a node's maintenance is sent; null:
  // over SSH on another node. Tests against pvesim (which has no SSH) queue it in the simulator instead.
  std::function<std::function<Status(const std::vector<std::string>& args)>(const std::string& node)> crm_for;
};

}  // namespace hainfra::providers
