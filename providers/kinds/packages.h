// The `packages` kind (`packages/pve-01`): a node's Debian packages as its baseline's `packages` declares them —
// observed with one `dpkg-query` over SSH, changed with one apt transaction (checked for availability first,
// the index refreshed when a version is unknown, removals of undeclared packages refused) and apt-mark holds.
// Rolling: one node at a time, with the health gate between nodes.
#pragma once

#include <memory>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

std::unique_ptr<ResourceKind> MakePackagesKind(KindDeps& deps);

}  // namespace hainfra::providers
