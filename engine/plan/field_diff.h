// Field-level comparison of a desired body with an observed one, driven by the spec's FieldSpec tree.
// Pure. Only fields the spec declares AND the user wrote are compared (keys not written are unmanaged).
#pragma once

#include <vector>

#include "hainfra/change.h"
#include "hainfra/field.h"
#include "hainfra/value.h"

namespace hainfra::plan {

// Appends to `out` one FieldChange per difference between `desired` and `observed` (both objects shaped
// by `body`, an kObject spec). Rules (docs/engine.md):
//  - managed=false fields and keys the spec does not declare are never compared;
//  - nested objects compare the declared keys the desired side wrote;
//  - keyed lists (FieldSpec.key) match entries by key: a missing entry is an added or removed entry;
//  - `set` lists compare order-free; other lists compare element by element, as a whole;
//  - maps compare the written keys, and with `whole` an unwritten observed key is a removed entry;
//  - kSize compares bytes, kInt/kNumber numbers, kBool truth values (0/1, "yes"/"no" ...);
//  - a secret field the cluster does not report is not comparable (write-only) and never differs;
//  - secret values are masked in the FieldChange.
// With `creating` (no observed object), every written field is reported as added, secrets included.
void DiffFields(const FieldSpec& body, const Value& desired, const Value& observed, bool creating,
                std::vector<FieldChange>& out);

// True when two values of a field compare equal under the rules above.
bool SameValue(const FieldSpec& spec, const Value& desired, const Value& observed);

}  // namespace hainfra::plan
