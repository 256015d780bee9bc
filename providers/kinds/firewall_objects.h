// The cluster firewall's named objects: `firewall_alias/<name>` (/cluster/firewall/aliases, a section-like
// collection), `firewall_ipset/<name>` (/cluster/firewall/ipset: the set and its entries, owned whole,
// nomatch included) and `firewall_group/<name>` (/cluster/firewall/groups: a security group and its ordered
// rules, firewall_rules.h). Each is deleted only with `state: absent`.
#pragma once

#include "hainfra/kind.h"
#include "providers/kinds/section_kind.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {

class FirewallAliasKind : public SectionKind {
 public:
  explicit FirewallAliasKind(transport::ApiClient& api);

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  Value UpdateExtras(const Value& body) const override;  // PUT needs `cidr` every time
};

// The IP sets and the security groups: a list call for the names, one read per declared object.
class FirewallSetKind : public ResourceKind {
 public:
  enum class What { kIpset, kGroup };
  FirewallSetKind(transport::ApiClient& api, What what);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  Result<std::vector<Observed>> ObserveAll() override;
  void Normalize(Value& body) const override;
  std::vector<Address> References(const Value& body) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;

 private:
  Result<std::vector<Observed>> ObserveNamed(const std::vector<std::string>& names, bool all);
  Status SyncEntries(const std::string& name, const Value& desired);

  KindTraits traits_;
  transport::ApiClient& api_;
  What what_;
};

}  // namespace hainfra::providers
