// The `apt` kind (`apt/pve-01`): a node's standard Proxmox repositories as its baseline's `apt` declares them —
// observed with GET /nodes/{node}/apt/repositories, enabled/added with PUT (handle) and disabled with POST
// (path, index, enabled=0), each write carrying the digest just read. Rolling: one node at a time.
#pragma once

#include <memory>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

std::unique_ptr<ResourceKind> MakeAptRepositoryKind(KindDeps& deps);

}  // namespace hainfra::providers
