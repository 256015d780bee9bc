// `node_settings/<node>`: a node's System panel from `nodes[].dns`, `nodes[].timezone` and `nodes[].hosts` —
// /nodes/{node}/dns (resolv.conf), /nodes/{node}/time and /nodes/{node}/hosts. Of /etc/hosts hainfra owns
// only its marked block: the other lines are kept verbatim, and the write carries the file's digest.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

std::unique_ptr<ResourceKind> MakeNodeSettingsKind(KindDeps& deps);

// The entries of hainfra's block in an /etc/hosts text ([{ip, names}]), in file order.
Value HostsBlockEntries(std::string_view hosts);

// `hosts` with hainfra's block holding `entries` (none: the block removed); every other line as it was.
std::string WithHostsBlock(std::string_view hosts, const Value& entries);

}  // namespace hainfra::providers
