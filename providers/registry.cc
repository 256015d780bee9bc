#include "providers/registry.h"

#include "providers/kinds/network.h"
#include "providers/kinds/vlan.h"

namespace hainfra::providers {

std::vector<std::unique_ptr<ResourceKind>> MakeKinds(KindDeps& deps) {
  std::vector<std::unique_ptr<ResourceKind>> kinds;
  kinds.push_back(std::make_unique<NetworkKind>(deps));
  kinds.push_back(std::make_unique<VlanKind>(deps));
  return kinds;
}

}  // namespace hainfra::providers
