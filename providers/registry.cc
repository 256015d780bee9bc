#include "providers/registry.h"

#include "providers/kinds/apt_repository.h"
#include "providers/kinds/packages.h"
#include "providers/kinds/sshd.h"

namespace hainfra::providers {

std::vector<std::unique_ptr<ResourceKind>> MakeKinds(KindDeps& deps) {
  std::vector<std::unique_ptr<ResourceKind>> kinds;
  kinds.push_back(MakeAptRepositoryKind(deps));
  kinds.push_back(MakePackagesKind(deps));
  kinds.push_back(MakeSshdKind(deps));
  return kinds;
}

}  // namespace hainfra::providers
