// The bad-spec corpus, QDevice and votes: what corosync-qdevice refuses (ffsplit's one vote per node and
// for the device, lms's own vote count), what `pvecm qdevice setup` would not set up, and the value ranges.
#include "tests/testing/bad_spec.h"

namespace hainfra::testing {
namespace {

#define QD_CLUSTER "cluster:\n  name: lab\n  corosync:\n"
#define QD_TWO "nodes:\n  - { name: pve-01, address: 10.0.0.11 }\n  - { name: pve-02, address: 10.0.0.12 }\n"
#define QD_THREE QD_TWO "  - { name: pve-03, address: 10.0.0.13 }\n"

const BadSpec kQdevice[] = {
    {"FfsplitOnAnOddNodeCount",
     QD_CLUSTER "    qdevice: { address: 10.0.0.5, algorithm: ffsplit }\n" QD_THREE,
     {"4:5: warning: cluster/lab: a QDevice with an odd number of votes (3) can lower availability: Proxmox "
      "recommends it for even counts only",
      "4:35: error: cluster/lab: ffsplit gives its one vote to one half of an even split; with 3 nodes (odd) use "
      "lms, as `pvecm qdevice setup --force` does"}},
    {"FfsplitWithTwoVotes",
     QD_CLUSTER "    qdevice: { address: 10.0.0.5, votes: 2 }\n" QD_TWO,
     {"4:35: error: cluster/lab: ffsplit needs the QDevice's votes to be 1 (corosync-qdevice refuses 2)"}},
    {"FfsplitWithANodeOfTwoVotes",
     QD_CLUSTER "    qdevice: { address: 10.0.0.5 }\n"
     "nodes:\n  - { name: pve-01, address: 10.0.0.11, corosync: { votes: 2 } }\n"
     "  - { name: pve-02, address: 10.0.0.12 }\n",
     {"4:5: warning: cluster/lab: a QDevice with an odd number of votes (3) can lower availability: Proxmox "
      "recommends it for even counts only",
      "6:53: error: node/pve-01: the cluster's QDevice uses ffsplit, which needs every node's votes to be 1 "
      "(corosync-qdevice refuses 2)"}},
    {"LmsWithVotes",
     QD_CLUSTER "    qdevice: { address: 10.0.0.5, algorithm: lms, votes: 1 }\n" QD_TWO,
     {"4:51: error: cluster/lab: lms computes the QDevice's votes itself (nodes - 1): leave votes out, as "
      "corosync-qdevice requires"}},
    {"AnUnknownAlgorithm",
     QD_CLUSTER "    qdevice: { address: 10.0.0.5, algorithm: 2nodelms }\n" QD_TWO,
     {"4:46: error: cluster.corosync.qdevice.algorithm: `2nodelms` is not one of: ffsplit, lms"}},
    {"AnUnknownTlsMode",
     QD_CLUSTER "    qdevice: { address: 10.0.0.5, tls: yes }\n" QD_TWO,
     {"4:40: error: cluster.corosync.qdevice.tls: `yes` is not one of: on, off, required"}},
    {"AHostThatIsNoAddress",
     QD_CLUSTER "    qdevice: { address: \"qnetd host\" }\n" QD_TWO,
     {"4:25: error: cluster.corosync.qdevice.address: `qnetd host` is not an IP address or a DNS name"}},
    {"APortOutOfRange",
     QD_CLUSTER "    qdevice: { address: 10.0.0.5, port: 70000 }\n" QD_TWO,
     {"4:41: error: cluster.corosync.qdevice.port: must be at most 65535, got 70000"}},
    {"AQdeviceOnOneNode",
     QD_CLUSTER "    qdevice: { address: 10.0.0.5 }\nnodes:\n  - { name: pve-01, address: 10.0.0.11 }\n",
     {"4:5: error: cluster/lab: a QDevice needs a cluster of at least two nodes (the spec declares one)"}},
    {"TheQnetdHostIsAMember",
     QD_CLUSTER "    qdevice: { address: 10.0.0.12 }\n" QD_TWO,
     {"4:16: error: cluster/lab: the QNetd host 10.0.0.12 is node/pve-02: it must be outside the cluster to vote when "
      "that node fails"}},
    {"ANodeWithoutAVote",
     "nodes:\n  - { name: pve-01, address: 10.0.0.11, corosync: { votes: 0 } }\n"
     "  - { name: pve-02, address: 10.0.0.12 }\n  - { name: pve-03, address: 10.0.0.13 }\n",
     {"2:53: error: node/pve-01: votes 0: a member without a vote is refused (quorum would be decided without it "
      "while it runs guests); use 1 or more",
      "4:5: warning: node/pve-03: an even number of votes (2) can split into two halves without quorum: add "
      "cluster.corosync.qdevice"}},
    {"AnAbsentQdeviceStillWarnsOfEvenVotes",
     QD_CLUSTER "    qdevice: { address: 10.0.0.5, state: absent }\n" QD_TWO,
     {"3:3: warning: cluster/lab: a 2-node cluster loses quorum when either node fails: add cluster.corosync.qdevice"}},
};

INSTANTIATE_TEST_SUITE_P(Qdevice, BadSpecs, ::testing::ValuesIn(kQdevice), CaseName);

}  // namespace
}  // namespace hainfra::testing
