#include "providers/registry.h"

#include "providers/kinds/vm.h"

namespace hainfra::providers {

std::vector<std::unique_ptr<ResourceKind>> MakeKinds(KindDeps& deps) {
  std::vector<std::unique_ptr<ResourceKind>> kinds;
  kinds.push_back(std::make_unique<VmKind>(deps));
  return kinds;
}

}  // namespace hainfra::providers
