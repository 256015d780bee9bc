// Whether a node can still be reached on its management address: pveproxy forwards requests for another
// node to that node's address, so once a network reload drops that address from the node's applied
// /etc/network/interfaces (an address change on vmbr0), the forward fails with 595 "No route to host" — as
// on a real cluster — until the address is back in the applied file.
#pragma once

#include <string>

#include "sim/pvesim/node_facts.h"

namespace pvesim {

// Called by the network reload with the applied file before and after: a reload that removes the node's
// management address (NodeFacts::Address) marks the node as cut off.
void NoteNetworkReload(NodeFacts& facts, const std::string& node, const std::string& before,
                       const std::string& after);

// True when a reload cut the node off and its applied file still lacks its management address.
bool ManagementLost(const NodeFacts& facts, const std::string& node);

}  // namespace pvesim
