// Secret references in the spec: `${env:NAME}` and `${file:PATH}`. The loader only checks their syntax and
// keeps them unresolved in bodies; a kind resolves one when it needs the value. No message ever contains a
// secret's value.
#pragma once

#include <string>
#include <string_view>

#include "hainfra/location.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"

namespace hainfra::spec {

// True when the value is written as a reference (starts with "${"), well-formed or not.
bool LooksLikeSecretReference(std::string_view value);

// OK for `${env:NAME}` (NAME: letters, digits, '_', not starting with a digit) and `${file:PATH}` (PATH not
// empty); otherwise an InvalidArgument error saying what is wrong.
Status CheckSecretReference(std::string_view value);

// The value a field holds: a reference is resolved (a missing variable or unreadable file is an error naming
// it, a trailing newline of a file is dropped, `~/` means $HOME); any other text is returned as is.
Result<std::string> ResolveSecret(std::string_view value);

// Resolves every reference of the spec once (for `hainfra validate --resolve-secrets`): an error per
// reference that cannot be resolved, located at its field. The values are dropped at once.
Diagnostics CheckSecretsResolve(const Spec& spec);

}  // namespace hainfra::spec
