// Diff: one desired/observed pair of a kind -> one Change (pure, no I/O). The only caller of ChooseAction.
#pragma once

#include "hainfra/change.h"
#include "hainfra/kind.h"
#include "hainfra/location.h"

namespace hainfra::plan {

struct DiffOptions {
  bool prune = false;  // the user opted in to pruning this kind
};

// The change that makes `observed` (nullptr: not in the cluster) match `desired` (nullptr: not in the
// spec). Both bodies pass through the kind's Normalize first; the kind's Review sees the result.
// Refusals (a Review error, a FieldChange::refused) are appended to `diagnostics`, located in the spec.
// Secret values never leave this function unmasked.
Change Diff(const ResourceKind& kind, const Resource* desired, const Observed* observed,
            const DiffOptions& options, Diagnostics& diagnostics);

}  // namespace hainfra::plan
