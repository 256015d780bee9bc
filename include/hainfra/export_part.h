// `hainfra export` for the kinds derived from other sections (node networks, corosync, a node's repositories
// and sshd drop-in): what they read from the cluster, as parts of those sections' objects.
#pragma once

#include <string>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"

namespace hainfra {

// A part of a spec section's object that a kind without a section of its own contributes to an export.
struct ExportPart {
  std::string section;  // the section's kind: "cluster", "node", "baseline"
  std::string name;     // the object's identity; for a singleton, its name when the part knows it
  std::string node;     // set for a part that holds on one node only (a baseline's settings): the exporter
                        // folds the nodes' parts into one shared object when they agree, one per node otherwise
  Value body;           // merged into the object key by key (objects recursively)
};

// Implemented, next to ResourceKind, by a kind derived from other sections: everything it manages that the
// cluster has, as parts of those sections' objects. A kind with a section of its own is exported through
// ResourceKind::ObserveAll instead.
class ExportsParts {
 public:
  virtual ~ExportsParts() = default;
  virtual Result<std::vector<ExportPart>> ExportParts() = 0;
};

}  // namespace hainfra
