#include "providers/registry.h"

#include "providers/kinds/corosync.h"
#include "providers/kinds/node_membership.h"

namespace hainfra::providers {

std::vector<std::unique_ptr<ResourceKind>> MakeKinds(KindDeps& deps) {
  std::vector<std::unique_ptr<ResourceKind>> kinds;
  kinds.push_back(MakeNodeMembershipKind(deps));
  kinds.push_back(MakeCorosyncKind(deps));
  return kinds;
}

}  // namespace hainfra::providers
