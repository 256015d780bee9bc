#include "providers/transport/secret.h"

#include <openssl/crypto.h>

namespace hainfra::transport {

Secret::~Secret() {
  // OPENSSL_cleanse is not optimised away like a plain memset before free would be.
  if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
}

}  // namespace hainfra::transport
