// `hainfra export`'s core: observe the cluster through the kinds (any kind that has a spec section) and keep
// what the spec may say about each object. Kind-agnostic: adding a kind needs no change here.
#pragma once

#include <string>
#include <vector>

#include "hainfra/kind.h"
#include "hainfra/result.h"
#include "hainfra/value.h"
#include "schemas/sections.h"

namespace hainfra::exporting {

struct ExportRequest {
  std::vector<std::string> kinds = {};  // only these kinds (empty: every kind that has a spec section)
  std::vector<std::string> nodes = {};  // only objects on these nodes (objects not tied to a node are kept)
  // The input spec's objects (kind, body as loaded), if one was given. Their unmanaged fields (connection
  // settings such as `cluster.api`, which the cluster never reports) are copied as written, and the objects
  // of sections that no kind of the session observes are carried over whole, so the export stays complete.
  std::vector<std::pair<std::string, Value>> input = {};
  // The connection this export used (kind, unmanaged fields: `cluster` -> {api: {endpoint, token, ...}}),
  // written onto the singleton of that kind when the input spec declares none, so that the export names the
  // cluster it came from.
  std::vector<std::pair<std::string, Value>> connection = {};
};

struct ExportedSection {
  const schemas::SectionSpec* section = nullptr;
  std::vector<Value> objects;  // export bodies (see ExportBody), sorted by identity
};

struct ExportedSpec {
  std::vector<ExportedSection> sections;  // in the spec's section order; sections without objects left out
  std::vector<std::string> notes;         // kinds left out or carried over, and why, for stderr
};

// Observes each selected kind (ResourceKind::ObserveAll: everything, managed or not) and turns its objects
// into export bodies. An unknown `--kind` is an error naming the kinds there are; a failing observe is an
// error naming the kind.
Result<ExportedSpec> ExportKinds(const std::vector<ResourceKind*>& kinds, const ExportRequest& request);

}  // namespace hainfra::exporting
