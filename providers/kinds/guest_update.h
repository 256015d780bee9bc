// What VM and container updates share: the planned changes a config update carries out, and the check that a
// config changed since the plan was changed only by this update itself (a re-run after a partial apply).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "hainfra/change.h"
#include "hainfra/kind.h"
#include "hainfra/result.h"

namespace hainfra::providers {

// The planned field changes a config update writes: all but the run state and the node (their own steps).
std::vector<FieldChange> ConfigFields(const std::vector<FieldChange>& fields);

// For a config whose digest is no longer the plan's version: `now` is that config in the spec's shape.
// When nothing but this change's own work differs (sizes under a top key of `grown` may have grown already),
// narrows `fields` to the volume grows and returns Ok; otherwise refuses, naming what differs, so that someone
// else's change is never overwritten blindly.
Status KeepOnlyOwnWork(const ResourceKind& kind, const Change& change, const std::string& digest, Value now,
                       const std::set<std::string>& grown, std::vector<FieldChange>& fields);

}  // namespace hainfra::providers
