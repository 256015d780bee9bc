// The `node_maintenance` kind: `nodes[].maintenance: true|false` in the spec, applied as `hainfra maintain`
// does it (providers/maintenance/node_maintenance.h): HA node maintenance on, guests moved, Ceph noout —
// or all of it undone. Observed from the HA manager's view of the node's LRM. Only nodes that declare the
// field are managed.
#pragma once

#include <memory>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

std::unique_ptr<ResourceKind> MakeNodeMaintenanceKind(KindDeps& deps);

}  // namespace hainfra::providers
