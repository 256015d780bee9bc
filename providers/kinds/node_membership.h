// The `node/<name>` kind: cluster membership. A declared node that is not a member is joined through ITS
// OWN API (POST /cluster/config/join, root@pam ticket, an existing member's fingerprint from
// GET /cluster/config/join, its link addresses from the spec). Removal is never automatic: a member the spec
// omits or marks `state: absent` plans a destructive delete carrying Proxmox's by-hand steps; it runs only
// with --allow-destroy and only while the node is offline (`pvecm delnode` = DELETE /cluster/config/nodes/{node}).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

// "pve-04=https://10.0.0.14:8006,..." (HAINFRA_NODE_ENDPOINTS): where a joining node's own API listens;
// without an entry, https://<the node's address>:8006.
std::map<std::string, std::string> ParseNodeEndpoints(const std::string& text);

std::unique_ptr<ResourceKind> MakeNodeMembershipKind(KindDeps& deps);

}  // namespace hainfra::providers
