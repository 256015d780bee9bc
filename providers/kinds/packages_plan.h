// The pure half of the package baseline: the kind's body shape, desired and observed bodies, and what one
// node needs (one apt transaction, holds released before and set after) — no I/O, so it is unit-tested.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hainfra/field.h"
#include "hainfra/value.h"
#include "providers/node/dpkg_query.h"

namespace hainfra::providers {

// { present: set, absent: set, versions: map, held: set } — all "at least" (not owned whole).
FieldSpec PackagesBody();

// The body a baseline's `packages` part asks for: `present`, `absent`, `versions` as written; `held` is
// every `hold` package and every pinned one (a pin is held so upgrades leave it alone).
Value DesiredPackages(const Value& part);

// Every package name a desired body mentions, sorted and unique.
std::vector<std::string> PackageNames(const Value& body);

// The observed body for `names` from the node's dpkg states, in the same shape (lists sorted): which of
// them are installed, which not, the installed version of each pinned one, which are installed and held.
Value ObservedPackages(const Value& desired, const node::PackageStates& states);

struct PackageActions {
  std::vector<std::string> requests;  // apt-get install arguments: `name`, `name=version`, `name-` (remove)
  std::vector<std::pair<std::string, std::string>> needed;  // (name, version or "") that must be available
  std::vector<std::string> unhold;  // held packages the transaction changes: released first
  std::vector<std::string> hold;    // packages to hold afterwards
  std::vector<std::string> removals;  // the names the transaction may remove (declared absent)

  bool empty() const { return requests.empty() && hold.empty(); }
};

// What makes `states` match `desired` (a body from DesiredPackages).
PackageActions PlanPackages(const Value& desired, const node::PackageStates& states);

// The packages an `apt-get --simulate` run would remove (its `Remv NAME ...` lines).
std::vector<std::string> SimulatedRemovals(std::string_view simulation);

}  // namespace hainfra::providers
