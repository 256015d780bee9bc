// `datacenter/datacenter`: the options of datacenter.cfg over /cluster/options — keyboard, language, console,
// mail sender, workers, MAC prefix, migration, CRS, HA shutdown policy, bandwidth limits, the next-id range,
// tag style, U2F and WebAuthn. One object that always exists; only the keys the spec writes are managed, and
// inside a property string (`migration: type=…,network=…`) only the sub-keys it writes: the others are kept.
// The API has no digest for this file: an update re-reads it and refuses when it changed since the plan.
#pragma once

#include "hainfra/kind.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {

class DatacenterKind : public ResourceKind {
 public:
  DatacenterKind(transport::ApiClient& api, int pve_major);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  // One GET, only when the spec declares `datacenter:`; Proxmox's defaults spelled out. Refuses, located,
  // what this cluster's version does not know (`crs.ha: dynamic` before PVE 9).
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  // The options as set in the file (defaults left out), for `hainfra export`.
  Result<std::vector<Observed>> ObserveAll() override;
  void Normalize(Value& body) const override;
  // Refuses a next-id range that would be empty once merged with the cluster's other bound.
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  // datacenter.cfg is never removed: a refusal.
  Status Delete(const Change& change) override;

  // Translation pair, public for tests: the GET answer -> the spec's shape (with or without Proxmox's
  // defaults), and the PUT parameters writing `fields` of `desired` over `current` (an answer).
  static Result<Value> Decode(const Value& answer, bool with_defaults);
  static Result<Value> Encode(const Value& desired, const std::vector<std::string>& fields, const Value& current);

 private:
  Result<Value> Read() const;
  Status Write(const Change& change, const std::vector<std::string>& fields);

  KindTraits traits_;
  transport::ApiClient& api_;
  int pve_major_;
};

}  // namespace hainfra::providers
