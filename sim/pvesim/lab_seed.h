// Seeding a fresh pvesim state joined to a pvelab lab: the lab already is the world (nodes, corosync.conf,
// /etc/pve), so only what the API needs and the lab lacks is written — through the backends' own seams.
#pragma once

#include <string>

#include "sim/pvesim/auth.h"
#include "sim/pvesim/backends.h"
#include "sim/pvesim/options.h"
#include "sim/pvesim/runtime_state.h"

namespace pvesim {

// Writes the API token lines into user.cfg (keeping the lab's users), priv/token.cfg, every lab node's
// pve-ssl.pem and lrm_status, and marks every node's LRM active. Refuses world files and generated worlds:
// with --lab the lab is the world.
Status SeedLab(const Options& options, Backends& backends, RuntimeState& runtime, const Credentials& credentials,
               const std::string& cert_pem);

}  // namespace pvesim
