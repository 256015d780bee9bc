// Masking of secret fields: every plan, rendering and plan file holds "(sensitive)" instead of a secret.
#pragma once

#include <string_view>

#include "hainfra/field.h"
#include "hainfra/value.h"

namespace hainfra::plan {

inline constexpr std::string_view kSensitive = "(sensitive)";

// Replaces, in `value` shaped by `spec`, every non-null value of a secret field with "(sensitive)".
// A secret `spec` masks the whole value.
void MaskSecrets(const FieldSpec& spec, Value& value);

// True when the spec or any field below it is secret (lets callers skip walking plain bodies).
bool HasSecrets(const FieldSpec& spec);

}  // namespace hainfra::plan
