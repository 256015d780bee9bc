// A handler's own privilege check for `user => 'all'` methods that check in their code (the replication
// jobs' VM.Audit / VM.Replicate on the guest), without the access-control headers.
#pragma once

#include <string>
#include <vector>

#include "sim/pvesim/auth.h"
#include "sim/pvesim/error.h"

namespace pvesim {

class Simulator;

// check: every privilege of `privs` on `path` (root@pam passes); the error is Proxmox's 403.
Status CheckCallerPrivileges(Simulator& sim, const Caller& caller, const std::string& path,
                             const std::vector<std::string>& privs);

}  // namespace pvesim
