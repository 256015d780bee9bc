// Gathers a status report from the live cluster: the API for quorum, votes, HA, Ceph, packages and pending
// guest changes; SSH (when configured) for every node's corosync links and the cluster lock's holder.
#pragma once

#include "providers/status/cluster_report.h"
#include "providers/transport/api_client.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::status {

// Never fails as a whole: what cannot be read is listed in report.unread (a warning), except the cluster's
// status itself, without which there is no report. Evaluate has run on the result.
Result<StatusReport> ReadStatus(transport::ApiClient& api, transport::SshClient* ssh);

}  // namespace hainfra::status
