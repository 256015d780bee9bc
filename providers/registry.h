// The explicit list of resource kinds: adding a kind adds one line here (no self-registering statics).
#pragma once

#include <memory>
#include <vector>

#include "hainfra/kind.h"

namespace hainfra::providers {

struct KindDeps;  // what kinds need to reach the cluster (transports, PVE version); defined with the transports

std::vector<std::unique_ptr<ResourceKind>> MakeKinds(KindDeps& deps);

}  // namespace hainfra::providers
