// Versions of observed objects: Proxmox's `digest` when the kind has one, else a fingerprint of the body.
#pragma once

#include <string>

#include "hainfra/resource.h"

namespace hainfra::plan {

// "sha256:<hex>" of the body's canonical JSON text (keys sorted), so equal bodies share a fingerprint.
std::string Fingerprint(const Value& body);

// The version a plan records for an observed object: its own `version`, or the fingerprint of its body.
std::string VersionOf(const Observed& observed);

}  // namespace hainfra::plan
