// The pvelab side of pvesim's backend choice: with `--lab DIR`, /etc/pve is the lab's shared folder and the
// node facts are the lab's real ones (see lab_cluster_fs.h, lab_node_facts.h).
#pragma once

#include <string>

#include "sim/pvesim/backends.h"

namespace pvesim {

// Backends over the running lab in `lab_dir`; `local_node` is the node whose API is served.
Result<Backends> MakeLabBackends(const std::string& lab_dir, const std::string& local_node, int pve);

}  // namespace pvesim
