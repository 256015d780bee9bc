#include "providers/safety/quorum_gate.h"

#include <thread>

namespace hainfra::safety {

std::string QuorumRefusal(const ClusterStatus& status, const std::vector<std::string>& nodes,
                          const GateOptions& options) {
  if (!status.quorate) {
    const bool single = status.online.size() == 1;
    if (!(options.bootstrap_single_node && single)) {
      std::string why = "the cluster" + (status.name.empty() ? "" : " '" + status.name + "'") +
                        " has no quorum (seen from " + (status.local.empty() ? "the API node" : status.local) +
                        "); refusing to change it";
      if (single) why += " (a single-node cluster may be bootstrapped with --bootstrap-single-node)";
      return why;
    }
  }
  for (const std::string& node : nodes) {
    auto it = status.online.find(node);
    if (it == status.online.end()) {
      if (status.clustered) return "node '" + node + "' is not a member of the cluster; refusing node-level changes on it";
      continue;  // a standalone node's status lists itself only
    }
    if (!it->second) {
      return "node '" + node + "' is not online in the quorate partition (isolated or down); refusing node-level "
             "changes on it";
    }
  }
  return "";
}

Status CheckQuorum(transport::ApiClient& api, const std::vector<std::string>& nodes, const GateOptions& options) {
  Result<ClusterStatus> status = ReadClusterStatus(api);
  if (!status) return Fail(WithContext(status.error(), "quorum gate"));
  if (std::string why = QuorumRefusal(*status, nodes, options); !why.empty()) {
    return Fail(Code::kFailedPrecondition, why);
  }
  return Ok();
}

std::function<Status(const std::string& node)> MakeHealthGate(transport::ApiClient& api, GateOptions options) {
  return [&api, options](const std::string& node) -> Status {
    const auto deadline = std::chrono::steady_clock::now() + options.health_timeout;
    std::string problem;
    while (true) {
      Result<ClusterStatus> status = ReadClusterStatus(api);
      if (!status) {
        problem = status.error().message;
      } else {
        problem = QuorumRefusal(*status, node.empty() ? std::vector<std::string>{} : std::vector<std::string>{node},
                                options);
        if (problem.empty() && status->clustered) {
          Result<Value> ha = api.Get("/cluster/ha/status/current");
          problem = ha ? HaProblem(*ha, node) : "reading the HA manager status: " + ha.error().message;
        }
        if (problem.empty()) problem = CephProblem(api);
      }
      if (problem.empty()) return Ok();
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(options.poll);
    }
    return Fail(Code::kFailedPrecondition, "health gate after " + (node.empty() ? std::string("the step") : node) +
                                               ": " + problem);
  };
}

}  // namespace hainfra::safety
