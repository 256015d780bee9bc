// `access_token/<user@realm!name>`: API tokens over /access/users/{userid}/token/{tokenid} — privilege
// separation, expiry, comment. Only declared tokens are managed; `state: absent` deletes one (with consent).
// A new token's secret, which Proxmox shows only in the answer to its creation, is written to the spec's
// `secret_file` (created with mode 0600 before the token exists, so a secret is never lost) and never
// printed. An existing token's secret is never rotated. hainfra's own token is never deleted, nor its
// privilege separation turned on, nor given an expiry (lock-out).
#pragma once

#include "hainfra/kind.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {

class AccessTokenKind : public ResourceKind {
 public:
  explicit AccessTokenKind(transport::ApiClient& api);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  Result<std::vector<Observed>> ObserveAll() override;
  void Normalize(Value& body) const override;
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;
  std::vector<Address> References(const Value& body) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;

  // Writes a token's secret to `path`: created (or truncated) with mode 0600, one line.
  static Status WriteSecret(const std::string& path, const std::string& secret);

 private:
  Result<std::vector<Observed>> ObserveUsers(const std::vector<Resource>* desired);

  KindTraits traits_;
  transport::ApiClient& api_;
};

}  // namespace hainfra::providers
