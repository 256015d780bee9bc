// The `sshd` kind (`sshd/pve-01`): a node's sshd settings as its baseline's `sshd` declares them, kept in a
// hainfra-owned drop-in (/etc/ssh/sshd_config.d/10-hainfra.conf). Observed from the files and `sshd -T` in one
// SSH command; changed without lock-outs (sshd_apply.h). Refuses settings that would not take effect.
// Rolling: one node at a time.
#pragma once

#include <memory>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

std::unique_ptr<ResourceKind> MakeSshdKind(KindDeps& deps);

}  // namespace hainfra::providers
