// `ceph_pool/<name>`: Ceph pools through any online node's API (/nodes/{node}/ceph/pool): size,
// min_size, pg_num, autoscaler mode, application, CRUSH rule (by name), target size/ratio. Create, update and
// destroy are tasks, waited for. pg_num is the autoscaler's while its mode is `on`: not drift then.
// Destroying a pool never removes its storages (`remove_storages` is never sent).
#pragma once

#include <mutex>
#include <string>

#include "hainfra/kind.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {

class CephPoolKind : public ResourceKind {
 public:
  explicit CephPoolKind(transport::ApiClient& api);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  // `hainfra export`: every pool but Ceph's own (names starting with a dot: `.mgr`, `.nfs`, `.rgw.root`).
  Result<std::vector<Observed>> ObserveAll() override;
  void Normalize(Value& body) const override;
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;

  // One entry of GET /nodes/{node}/ceph/pool in the spec's shape (`crush_rule` by name, `application`
  // from application_metadata, `target_size` in bytes).
  static Result<Value> DecodePool(const Value& entry);
  // The version of a decoded pool: its fingerprint, without pg_num while the autoscaler owns it.
  static std::string PoolVersion(const Value& body);

 private:
  // An online node to talk to (the one observe used, else the first online one by name).
  Result<std::string> Node();
  // Every pool, decoded, by name.
  Result<std::vector<std::pair<std::string, Value>>> ListPools(const std::string& node);
  // Waits for the task a pool call started.
  Status Wait(const Result<Value>& upid, const std::string& what);

  KindTraits traits_;
  transport::ApiClient& api_;
  std::mutex mu_;
  std::string node_;  // guarded by mu_
};

}  // namespace hainfra::providers
