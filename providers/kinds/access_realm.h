// `access_realm/<realm>`: authentication realms over /access/domains (domains.cfg): pam, pve, ldap, ad,
// openid. The list names only a realm's type and comment, so each declared realm is read on its own
// (GET /access/domains/{realm}, with the file's digest for the update). pam and pve always exist: their
// comment, default and tfa are managed, they are never created nor deleted. The LDAP/AD bind password is
// written when the realm is created (Proxmox never shows it); the OpenID client key is diffed as a secret.
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class AccessRealmKind : public SectionKind {
 public:
  explicit AccessRealmKind(transport::ApiClient& api);

  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  Result<std::vector<Observed>> ObserveAll() override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  Value AsListed(const std::string& name, const Value& read) const override;

 private:
  Result<std::vector<Observed>> ObserveRealms(const std::vector<std::string>& names);
};

}  // namespace hainfra::providers
