// The body of a `network/<node>` object: the node's name, its management address (read, never diffed) and
// the `network` list of its interfaces in the spec's shape; and how an observed node network becomes one.
#pragma once

#include <string>

#include "hainfra/field.h"
#include "hainfra/value.h"

namespace hainfra::providers {

// {node, address (managed: false), network: the node section's interface list (keyed by iface, not whole)}.
FieldSpec NetworkBody();

// GET /nodes/{node}/network's envelope in the body's shape: every interface but `lo`, plus `pending`
// (interfaces someone staged in interfaces.new) and `pending_unattributed` (staged lines of no interface).
Value ObservedNetworkBody(const std::string& node, const Value& envelope);

// True when `have` differs from `want` on a key `want` writes (both normalized interfaces).
bool DiffersOnWritten(const Value& want, const Value& have);

}  // namespace hainfra::providers
