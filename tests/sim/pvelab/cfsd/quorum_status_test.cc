#include "cfsd/quorum_status.h"

#include <gtest/gtest.h>

namespace pvelab {
namespace {

// Real `corosync-quorumtool -s -p` output (corosync 3.1.7), quorate node of a 3-node lab.
constexpr const char* kQuorate = R"(Quorum information
------------------
Date:             Sun Nov 22 00:27:01 2026
Quorum provider:  corosync_votequorum
Nodes:            3
Node ID:          2
Ring ID:          1.d
Quorate:          Yes

Votequorum information
----------------------
Expected votes:   3
Highest expected: 3
Total votes:      3
Quorum:           2  
Flags:            Quorate 

Membership information
----------------------
    Nodeid      Votes    Qdevice Name
         1          1         NR pve-01
         2          1         NR pve-02 (local)
         3          1         NR pve-03
)";

// The same tool on an isolated node.
constexpr const char* kIsolated = R"(Quorum information
------------------
Date:             Sun Nov 22 00:27:07 2026
Quorum provider:  corosync_votequorum
Nodes:            1
Node ID:          3
Ring ID:          3.11
Quorate:          No

Votequorum information
----------------------
Expected votes:   3
Highest expected: 3
Total votes:      1
Quorum:           2 Activity blocked
Flags:            

Membership information
----------------------
    Nodeid      Votes    Qdevice Name
         3          1         NR pve-03 (local)
)";

TEST(QuorumStatus, QuorateOutputGivesMembersAndVotes) {
  QuorumStatus s = ParseQuorumtool(kQuorate, 0);
  EXPECT_TRUE(s.corosync_up);
  EXPECT_TRUE(s.quorate);
  EXPECT_EQ(s.node_id, 2);
  EXPECT_EQ(s.ring_id, "1.d");
  EXPECT_EQ(s.expected_votes, 3);
  EXPECT_EQ(s.total_votes, 3);
  EXPECT_EQ(s.quorum, 2);
  EXPECT_EQ(s.members, (std::vector<int>{1, 2, 3}));
}

TEST(QuorumStatus, IsolatedNodeIsNotQuorateAndAlone) {
  QuorumStatus s = ParseQuorumtool(kIsolated, 2);
  EXPECT_TRUE(s.corosync_up);
  EXPECT_FALSE(s.quorate);
  EXPECT_EQ(s.total_votes, 1);
  EXPECT_EQ(s.quorum, 2);
  EXPECT_EQ(s.members, (std::vector<int>{3}));
}

TEST(QuorumStatus, UnreachableCorosyncGivesNothing) {
  QuorumStatus s = ParseQuorumtool("Cannot initialize QUORUM service\n", 1);
  EXPECT_EQ(s, QuorumStatus{});
  EXPECT_FALSE(s.corosync_up);
}

}  // namespace
}  // namespace pvelab
