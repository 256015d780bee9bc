// The version-unison report: which nodes differ on which package. Per node, the versions of Proxmox's key
// packages (`pveversion -v`) and of the packages the node's baseline names (`dpkg-query`); a package is
// reported when its version is not the same on every node that was read (not installed counts as a value).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/spec.h"
#include "hainfra/value.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::node {

// One node's view: package -> installed version ("" = not installed), or why it could not be read.
struct NodePackages {
  std::string node;
  std::map<std::string, std::string> versions;
  std::string error;
};

struct UnisonDifference {
  std::string package;
  std::map<std::string, std::string> versions;  // node -> version ("" = not installed), every read node
};

struct UnisonReport {
  std::vector<std::string> nodes;              // every node of the spec, in file order
  std::vector<std::string> unreadable;         // "node: why" for nodes that could not be read
  std::vector<UnisonDifference> differences;   // sorted by package name
  size_t packages_compared = 0;

  bool in_unison() const { return differences.empty() && unreadable.empty(); }
};

// The package names the spec's baselines name (present, absent, versions), sorted and unique.
std::vector<std::string> BaselinePackageNames(const Spec& spec);

// Reads every node at once over SSH (`pveversion -v` and one `dpkg-query` for `names`).
std::vector<NodePackages> ReadNodePackages(transport::SshClient& ssh, const std::vector<std::string>& nodes,
                                           const std::vector<std::string>& names);

// Compares the nodes (pure). Packages no read node has installed are left out.
UnisonReport CompareNodePackages(const std::vector<NodePackages>& nodes);

// Human form: one line per differing package, nodes grouped by version; JSON form: docs/kinds/baseline.md.
std::string RenderUnisonText(const UnisonReport& report);
Value UnisonJson(const UnisonReport& report);

}  // namespace hainfra::node
