// The per-node objects of the baseline kinds (`apt/pve-01`, `packages/pve-01`, `sshd/pve-01`): every node that
// names a baseline gets one object per part of that baseline it declares, its body built from that part.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/resource.h"
#include "hainfra/spec.h"

namespace hainfra::providers {

// How one baseline part becomes a kind's body: `part` is the baseline's `apt`/`packages`/`sshd` value; the
// result is the body without `node` (added by BaselineObjects). `body_prefix` is where the part's fields
// land in the body ("" for the top, "/settings" for a wrapped map), so diagnostics point at the spec line.
struct BaselinePart {
  std::string key;          // "apt", "packages", "sshd"
  std::string kind;         // the address prefix of the objects
  std::string body_prefix;  // JSON pointer prefix of the part's fields in the body
  std::function<Value(const Value& part)> build;
};

// One object per node (file order of `nodes`) whose baseline declares `part.key`. Bodies carry `node` (the
// node's name, for Scope) and `baseline` (its name, for messages); neither is a declared field.
std::vector<Resource> BaselineObjects(const Spec& spec, const BaselinePart& part);

// The desired objects of a per-node kind keyed by node, and the nodes in their order (what Observe fans out over).
struct ByNode {
  std::map<std::string, const Resource*> objects;
  std::vector<std::string> nodes;
};
ByNode DesiredByNode(const std::vector<Resource>& desired);

// The node a baseline body belongs to (its `node` key), or "".
std::string BaselineNode(const Value& body);

}  // namespace hainfra::providers
