// `access_role/<roleid>`: custom roles over /access/roles — a set of privileges, written whole (PUT without
// `append`). Built-in roles (special) are never observed, exported or touched (the spec cannot name them:
// schemas' pve-custom-role). Privileges are checked against the cluster's release when planning (VM.Monitor
// is PVE 8's only; the VM.GuestAgent.* privileges and VM.Replicate PVE 9's only). A role hainfra's own
// token holds its rights through is never narrowed nor deleted (lock-out, access_lockout.h).
#pragma once

#include "providers/kinds/section_kind.h"
#include <set>

namespace hainfra::providers {

class AccessRoleKind : public SectionKind {
 public:
  AccessRoleKind(transport::ApiClient& api, int pve);

  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  Status CheckDesired(const std::vector<Resource>& desired) const override;
  Value AsListed(const std::string& name, const Value& read) const override;

 private:
  transport::ApiClient& api_;
  int pve_;  // the major version
  std::set<std::string> held_;  // the roles hainfra's token holds its rights through (read by Observe)
  std::string why_;
};

}  // namespace hainfra::providers
