#include "providers/registry.h"

namespace hainfra::providers {

std::vector<std::unique_ptr<ResourceKind>> MakeKinds(KindDeps& deps) {
  (void)deps;
  std::vector<std::unique_ptr<ResourceKind>> kinds;
  return kinds;
}

}  // namespace hainfra::providers
