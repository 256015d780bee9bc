// `acme_plugin/<id>`: ACME challenge plugins (priv/acme/plugins.cfg) over /cluster/acme/plugins. The list
// answers every plugin in full (its id as `plugin`); the built-in `standalone` plugin pve-manager always adds
// is not observed. A DNS plugin's `data` (the acme.sh API's KEY=value credentials) goes out base64-encoded;
// being secret, it is written, never compared.
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class AcmePluginKind : public SectionKind {
 public:
  explicit AcmePluginKind(transport::ApiClient& api);

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
};

}  // namespace hainfra::providers
