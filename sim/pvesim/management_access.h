// Whether a node can still be reached on its management address: pveproxy forwards requests for another
// node to that node's address, so once the node's applied /etc/network/interfaces no longer carries it
// (an address change on vmbr0), the forward fails with 595 "No route to host" — as on a real cluster.
#pragma once

#include <string>

#include "sim/pvesim/node_facts.h"

namespace pvesim {

// True when `node`'s applied interfaces file exists and none of its `address` lines carries the node's
// management address (NodeFacts::Address). A missing or empty file keeps the node reachable.
bool ManagementLost(const NodeFacts& facts, const std::string& node);

}  // namespace pvesim
