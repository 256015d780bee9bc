// The quorum gate and the health gate of an apply: refuse to change a cluster without quorum, refuse
// node-level steps on a node outside the quorate partition, and between the nodes of rolling kinds wait
// until the cluster is healthy again (quorum, node online, HA manager, Ceph).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "hainfra/result.h"
#include "providers/safety/cluster_health.h"
#include "providers/transport/api_client.h"

namespace hainfra::safety {

struct GateOptions {
  // --bootstrap-single-node: a cluster of ONE node that is not quorate may still be changed.
  bool bootstrap_single_node = false;
  std::chrono::milliseconds health_timeout{120'000};  // how long the health gate waits for a node
  std::chrono::milliseconds poll{500};
};

// Empty when a change may run: the cluster is quorate (or a bootstrapped single node) and every node in
// `nodes` (the plan's node-level steps) is online in the quorate partition. Otherwise the refusal.
std::string QuorumRefusal(const ClusterStatus& status, const std::vector<std::string>& nodes, const GateOptions& options);

// Reads /cluster/status and applies QuorumRefusal: kFailedPrecondition with the reason when refused.
Status CheckQuorum(transport::ApiClient& api, const std::vector<std::string>& nodes, const GateOptions& options);

// The executor's health gate (ApplyCommandOptions::health_gate): waits up to options.health_timeout until
// the cluster is quorate, `node` is online, the HA manager is healthy and Ceph is not in HEALTH_ERR;
// kFailedPrecondition naming what is still wrong otherwise.
std::function<Status(const std::string& node)> MakeHealthGate(transport::ApiClient& api, GateOptions options);

}  // namespace hainfra::safety
