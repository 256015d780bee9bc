#include "providers/transport/redactor.h"

#include <algorithm>

namespace hainfra::transport {

namespace {
constexpr size_t kMinSecretLength = 4;
}  // namespace

void Redactor::Add(std::string_view secret) {
  if (secret.size() < kMinSecretLength) return;
  std::lock_guard lock(mu_);
  if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
  secrets_.emplace_back(secret);
  // Longest first, so a secret that contains another is replaced whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redactor::Scrub(std::string text) const {
  std::lock_guard lock(mu_);
  for (const std::string& secret : secrets_) {
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), kRedacted);
      at += kRedacted.size();
    }
  }
  return text;
}

}  // namespace hainfra::transport
