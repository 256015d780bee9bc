#include "sim/pvesim/backends.h"

#include "sim/pvesim/lab_backends.h"
#include "sim/pvesim/memory_cluster_fs.h"
#include "sim/pvesim/sim_node_facts.h"

namespace pvesim {

Result<Backends> MakeBackends(const Options& options, const std::string& state_dir, const std::string& local_node) {
  if (!options.lab_dir.empty()) return MakeLabBackends(options, local_node);
  Backends b;
  auto fs = std::make_unique<MemoryClusterFs>(state_dir.empty() ? "" : state_dir + "/etc-pve");
  auto facts = std::make_unique<SimNodeFacts>(*fs, local_node, options.pve);
  SimNodeFacts* facts_ptr = facts.get();
  fs->SetQuorumProbe([facts_ptr] { return facts_ptr->Cluster().quorate; });
  b.memory_fs = fs.get();
  b.sim_facts = facts.get();
  b.fs = std::move(fs);
  b.facts = std::move(facts);
  return b;
}

}  // namespace pvesim
