// The spec's fingerprint for plan files: SHA-256 over a canonical serialization of every object.
#pragma once

#include <string>

#include "hainfra/spec.h"

namespace hainfra::spec {

// Lower-case hex SHA-256. Independent of file layout, key order and object order: only what is declared.
std::string SpecHash(const Spec& spec);

}  // namespace hainfra::spec
