// `access_group/<groupid>` and `access_user/<userid>`: groups and users of user.cfg over /access/groups and
// /access/users. Only declared objects are managed; `state: absent` deletes one. A user's group membership
// is written on the user (`groups`), as `pveum user modify --groups` does. A pve-realm user's `password` is
// set on create; Proxmox never shows a password, so Observe checks it with a login (POST /access/ticket,
// without credentials) and the plan changes it (PUT /access/password) only when the login fails.
// user.cfg has no digest and these PUTs take no `delete`: a field dropped from the spec is written empty.
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class AccessGroupKind : public SectionKind {
 public:
  explicit AccessGroupKind(transport::ApiClient& api);

  // POST without the empty strings Encode writes for updates (Proxmox treats them as unset anyway).
  Status Create(const Change& change) override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  Value AsListed(const std::string& name, const Value& read) const override;
};

class AccessUserKind : public SectionKind {
 public:
  explicit AccessUserKind(transport::ApiClient& api);

  std::vector<Address> References(const Value& body) const override;
  // The users, then for each declared password of an existing, enabled user: does a login with it work?
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  // `full=1`: the list then names each user's groups.
  Value ListQuery() const override { return Value{{"full", 1}}; }
  Value AsListed(const std::string& name, const Value& read) const override;
  // Refuses, located, deleting the user of the token hainfra runs as (lock-out).
  Status CheckDesired(const std::vector<Resource>& desired) const override;

 private:
  transport::ApiClient& api_;
};

}  // namespace hainfra::providers
