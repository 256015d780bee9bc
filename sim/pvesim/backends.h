// The one place that chooses the ClusterFs and NodeFacts implementations from the command line.
// The simulator's own (memory + state dir), or with `--lab DIR` a running pvelab lab's (lab_backends.h).
#pragma once

#include <memory>
#include <string>

#include "sim/pvesim/cluster_fs.h"
#include "sim/pvesim/error.h"
#include "sim/pvesim/node_facts.h"
#include "sim/pvesim/options.h"

namespace pvesim {

class MemoryClusterFs;
class SimNodeFacts;

struct Backends {
  std::unique_ptr<ClusterFs> fs;
  std::unique_ptr<NodeFacts> facts;
  // Set when the simulator's own implementations are used (world setup seeds them directly).
  MemoryClusterFs* memory_fs = nullptr;
  SimNodeFacts* sim_facts = nullptr;
};

// `state_dir` is where the simulator keeps its files; `local_node` the node whose API is served.
Result<Backends> MakeBackends(const Options& options, const std::string& state_dir, const std::string& local_node);

}  // namespace pvesim
