// `pool/<id>`: resource pools over /pools — comment and members (guests and storages; a member list that is
// written is owned whole). Observe reads the pool list, then each pool with its members (GET /pools?poolid=,
// which knows nested pools on PVE 8.4 and 9.1 alike). A guest another pool holds is moved (`allow-move`).
// Deleting a pool (`state: absent`) first takes its members out: Proxmox deletes only empty pools. The API
// has no digest: an update re-reads the pool and refuses when it changed since the plan.
#pragma once

#include "hainfra/kind.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {

class PoolKind : public ResourceKind {
 public:
  explicit PoolKind(transport::ApiClient& api);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  // The pools the spec names (members included); refuses, located, a nested pool whose parent is neither
  // declared nor in the cluster.
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  Result<std::vector<Observed>> ObserveAll() override;
  void Normalize(Value& body) const override;
  std::vector<Address> References(const Value& body) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;

  // One pool as GET /pools?poolid= answers it -> the spec's shape (public for tests).
  static Result<Value> Decode(const Value& pool);

 private:
  // The pool `id` with its members, or nullopt when it does not exist.
  Result<std::optional<Value>> ReadPool(const std::string& id) const;
  Result<std::vector<Observed>> ObservePools(const std::vector<std::string>& ids);
  // Adds (or with `remove` takes out) guests and storages; no call when both are empty.
  Status Members(const std::string& id, const std::vector<std::string>& vms, const std::vector<std::string>& storage,
                 bool remove);

  KindTraits traits_;
  transport::ApiClient& api_;
};

}  // namespace hainfra::providers
