// The pvelab side of pvesim's backend choice: with `--lab DIR`, /etc/pve is the lab's shared folder and the
// node facts are the lab's real ones (see lab_cluster_fs.h, lab_node_facts.h).
#pragma once

#include <string>

#include "sim/pvesim/backends.h"
#include "sim/pvesim/options.h"

namespace pvesim {

// Backends over the running lab in `options.lab_dir`; `local_node` is the node whose API is served (empty:
// the lab's first node). Called from MakeBackends when --lab is given.
Result<Backends> MakeLabBackends(const Options& options, const std::string& local_node);

}  // namespace pvesim
