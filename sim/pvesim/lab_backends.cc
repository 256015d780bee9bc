#include "sim/pvesim/lab_backends.h"

#include "sim/pvesim/lab_cluster_fs.h"
#include "sim/pvesim/lab_node_facts.h"

namespace pvesim {

Result<Backends> MakeLabBackends(const Options& options, const std::string& local_node) {
  auto facts = LabNodeFacts::Open(options.lab_dir, local_node, options.pve);
  if (!facts) return Fail(facts.error());
  LabNodeFacts* view = facts->get();
  Backends b;
  // Writes through the served node's pmxcfs: refused while that node is not quorate.
  b.fs = std::make_unique<LabClusterFs>(view->CfsDir(), [view] { return view->Cluster().quorate; });
  b.facts = std::move(*facts);
  return b;
}

}  // namespace pvesim
