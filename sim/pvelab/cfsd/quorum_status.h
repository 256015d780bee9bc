// pvelab-cfsd: one node's view of corosync membership and quorum, parsed from the real
// `corosync-quorumtool -s -p` output (machine-parsable form).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pvelab {

struct QuorumStatus {
  bool corosync_up = false;  // the quorum service answered
  bool quorate = false;
  int node_id = 0;
  int expected_votes = 0;
  int total_votes = 0;
  int quorum = 0;
  std::string ring_id;
  std::vector<int> members;  // node ids in this node's partition, as corosync lists them

  bool operator==(const QuorumStatus&) const = default;
};

// Parses one run of `corosync-quorumtool -s -p` and its exit code (0 quorate, 2 not quorate, 1 no
// corosync). Unknown lines are ignored; a failed run gives corosync_up = false.
QuorumStatus ParseQuorumtool(std::string_view output, int exit_code);

}  // namespace pvelab
