#include "providers/transport/tls_fingerprint.h"

#include <openssl/sha.h>

#include <cctype>

namespace hainfra::transport {

namespace {

constexpr size_t kSha256Bytes = 32;
constexpr char kHex[] = "0123456789ABCDEF";

std::string HexPairs(const unsigned char* bytes, size_t count) {
  std::string out;
  out.reserve(count * 3);
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += ':';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

}  // namespace

Result<std::string> NormalizeFingerprint(std::string_view text) {
  std::string hex;
  for (char ch : text) {
    if (ch == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(ch))) {
      return Fail(Code::kInvalidArgument,
                  "tls_fingerprint: expected SHA-256 hex pairs like AB:CD:…, found the character '" +
                      std::string(1, ch) + "'");
    }
    hex += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  if (hex.size() != kSha256Bytes * 2) {
    return Fail(Code::kInvalidArgument, "tls_fingerprint: expected 32 bytes (64 hex digits) of SHA-256, found " +
                                            std::to_string(hex.size()) + " hex digits");
  }
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (i > 0) out += ':';
    out += hex.substr(i, 2);
  }
  return out;
}

std::string FingerprintOfDer(std::string_view der) {
  unsigned char digest[kSha256Bytes];
  SHA256(reinterpret_cast<const unsigned char*>(der.data()), der.size(), digest);
  return HexPairs(digest, kSha256Bytes);
}

}  // namespace hainfra::transport
