// `access_acl/<path>`: the roles granted on one ACL path over /access/acl. An entry names users, groups and
// API tokens, each with the roles it holds there (a set, written whole for that member); only the members an
// entry writes are managed — other grants on the path are left alone. `[]` takes a member's roles away and
// `state: absent` takes away every grant the entry writes: both need consent (--allow-destroy). One
// `propagate` for the entry (default true). A grant hainfra's own token holds its rights through is never
// taken away or narrowed (lock-out, access_lockout.h): the plan refuses it, naming the field.
#pragma once

#include "hainfra/kind.h"
#include "providers/kinds/access_lockout.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {

class AccessAclKind : public ResourceKind {
 public:
  explicit AccessAclKind(transport::ApiClient& api);

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

  // The grants of `path` as an entry's body: every member of `declared` (all members when null), each with
  // its roles there (public for tests).
  static Value BodyOf(const std::string& path, const std::vector<AccessGrant>& grants, const Value* declared);

 private:
  Result<Value> Current(const std::string& path, const Value& declared) const;
  // PUT /access/acl for one member: `roles` granted (or with `remove`, taken away).
  Status Grant(const std::string& path, const std::string& type, const std::string& ugid,
               const std::vector<std::string>& roles, bool propagate, bool remove) const;

  KindTraits traits_;
  transport::ApiClient& api_;
  AccessLockout lockout_;  // read by Observe
};

}  // namespace hainfra::providers
