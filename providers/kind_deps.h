// What resource kinds need to reach the cluster: the two transports and the Proxmox version, built by the
// composition root (cli/) and handed to MakeKinds. Kinds borrow them; the root owns them.
#pragma once

#include "providers/transport/api_client.h"
#include "providers/transport/pve_version.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::providers {

struct KindDeps {
  transport::ApiClient* api = nullptr;  // every run has one
  transport::SshClient* ssh = nullptr;  // null when no declared kind works over SSH
  transport::PveVersion pve;            // from GET /version (major 8 or 9)
};

}  // namespace hainfra::providers
