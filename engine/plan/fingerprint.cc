#include "engine/plan/fingerprint.h"

#include <openssl/sha.h>

#include <array>
#include <cstdio>

namespace hainfra::plan {

std::string Fingerprint(const Value& body) {
  const std::string text = body.dump();  // nlohmann's objects are key-sorted: the text is canonical
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  std::string out = "sha256:";
  char hex[3];
  for (unsigned char byte : digest) {
    std::snprintf(hex, sizeof hex, "%02x", byte);
    out += hex;
  }
  return out;
}

std::string VersionOf(const Observed& observed) {
  return observed.version.empty() ? Fingerprint(observed.body) : observed.version;
}

}  // namespace hainfra::plan
