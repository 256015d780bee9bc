// Diff: one desired/observed pair of a kind -> one Change (pure, no I/O). The only caller of ChooseAction.
#pragma once

#include <functional>

#include "hainfra/change.h"
#include "hainfra/kind.h"
#include "hainfra/location.h"

namespace hainfra::plan {

// Whether a difference of a declared, existing object is ignored (the spec's `enforcement.ignore`).
using IgnoreField = std::function<bool(const Resource& desired, const FieldChange& field)>;

struct DiffOptions {
  bool prune = false;                   // the user opted in to pruning this kind
  const IgnoreField* ignore = nullptr;  // null or empty: nothing is ignored
};

// The change that makes `observed` (nullptr: not in the cluster) match `desired` (nullptr: not in the
// spec). Both bodies pass through the kind's Normalize first; the kind's Review sees the result.
// Refusals (a Review error, a FieldChange::refused) are appended to `diagnostics`, located in the spec.
// Ignored differences (after Review) leave `fields` for `ignored`; only updates are filtered (a create
// writes every field), and a change left with no difference is a no-op.
// Secret values never leave this function unmasked.
Change Diff(const ResourceKind& kind, const Resource* desired, const Observed* observed,
            const DiffOptions& options, Diagnostics& diagnostics);

}  // namespace hainfra::plan
