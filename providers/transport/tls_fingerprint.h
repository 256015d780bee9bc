// Proxmox's certificate fingerprints: the SHA-256 of the whole DER certificate, written `AB:CD:…`
// (what `GET /nodes` reports as ssl_fingerprint and the GUI shows). Not a public-key pin.
#pragma once

#include <string>
#include <string_view>

#include "hainfra/result.h"

namespace hainfra::transport {

// Canonical form of a user-written fingerprint: upper-case hex pairs joined by `:`. Accepts upper or lower
// case, with or without colons; anything else (wrong length, non-hex) is kInvalidArgument.
Result<std::string> NormalizeFingerprint(std::string_view text);

// The fingerprint of a DER-encoded certificate, in canonical form.
std::string FingerprintOfDer(std::string_view der);

}  // namespace hainfra::transport
