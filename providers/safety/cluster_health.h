// Reading the cluster's health through the API: /cluster/status (quorum, which nodes are online in the
// quorate partition), /cluster/ha/status/current (the HA manager) and, when Ceph is present, its health.
#pragma once

#include <map>
#include <string>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/transport/api_client.h"

namespace hainfra::safety {

struct ClusterStatus {
  bool clustered = false;  // a `cluster` entry exists (a standalone node has none)
  bool quorate = false;    // the answering node's partition has quorum (standalone: always)
  std::string name;        // the cluster's name; empty when standalone
  std::map<std::string, bool> online;  // node -> online as the answering node sees it
  std::string local;       // the node that answered
};

// Parses GET /cluster/status; errors name the malformed entry.
Result<ClusterStatus> ParseClusterStatus(const Value& status);
Result<ClusterStatus> ReadClusterStatus(transport::ApiClient& api);

// Empty when the HA manager is healthy for `node`, else why not: in GET /cluster/ha/status/current the
// `quorum` entry says OK, and neither the `master` nor `lrm:<node>` has an old timestamp (dead). Another
// node's dead LRM is not `node`'s problem: the quorum gate refuses changes on that node itself.
std::string HaProblem(const Value& ha_status, const std::string& node = "");

// Empty when Ceph is absent or not in HEALTH_ERR, else the reason (GET /cluster/ceph/status).
std::string CephProblem(transport::ApiClient& api);

}  // namespace hainfra::safety
