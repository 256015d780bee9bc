#include "engine/spec/spec_hash.h"

#include <algorithm>
#include <memory>

#include <openssl/evp.h>

namespace hainfra::spec {

std::string SpecHash(const Spec& spec) {
  // Objects sorted by address; bodies are dumped with sorted keys (nlohmann::json keeps objects sorted).
  std::vector<const Resource*> sorted;
  sorted.reserve(spec.objects.size());
  for (const Resource& r : spec.objects) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](const Resource* a, const Resource* b) { return a->address < b->address; });

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return "";
  for (const Resource* r : sorted) {
    // `replace`: a body never holds invalid UTF-8 (the loader refuses it), but hashing must not throw.
    const std::string body = r->body.dump(-1, ' ', false, Value::error_handler_t::replace);
    const std::string line = r->address.ToString() + (r->absent ? " absent " : " ") + body + "\n";
    EVP_DigestUpdate(ctx.get(), line.data(), line.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

}  // namespace hainfra::spec
