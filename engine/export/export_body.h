// Turning an observed body into what an exported spec may say: only the fields the section declares and
// manages, the ownership tag left out, byte sizes in Proxmox's units, secrets never in clear.
#pragma once

#include <string>

#include "hainfra/field.h"
#include "hainfra/value.h"

namespace hainfra::exporting {

// The tag hainfra puts on what it owns; it is hainfra's marker, never a user tag.
inline constexpr const char* kOwnershipTag = "hainfra";

// Prefix of the `${env:…}` placeholders written for secrets.
inline constexpr const char* kSecretVariablePrefix = "HAINFRA_SECRET_";

// A copy of `body` holding only the managed fields `spec` declares, recursively; nulls dropped; integer
// byte sizes written as `32G`; `hainfra` removed from `tags`; every secret replaced by
// `${env:<variable>}` where the variable is kSecretVariablePrefix + `secret_stem` + the field's path
// (upper case, `_` for anything else). Returns null when nothing is left.
Value ExportBody(const Value& body, const FieldSpec& spec, const std::string& secret_stem);

// `34359738368` -> "32G": the largest of K/M/G/T (powers of 1024) that divides exactly; bytes as is.
std::string FormatSize(int64_t bytes);

// "storage pbs-1 password" -> "STORAGE_PBS_1_PASSWORD".
std::string VariableName(const std::string& text);

// True for a `${env:NAME}` text (what ExportBody writes for secrets).
bool IsSecretPlaceholder(const Value& value);

}  // namespace hainfra::exporting
