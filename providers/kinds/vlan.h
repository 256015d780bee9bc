// The VLAN kind (`vlan/<name>`): one SDN VNet in a VLAN zone with its subnets. Zones are implied by the
// entries and created on first use; every change is staged and applied once with PUT /cluster/sdn, under
// the SDN lock on PVE 9 (its token on every mutation, released by the apply or on failure).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

class VlanKind : public ResourceKind {
 public:
  explicit VlanKind(KindDeps& deps);
  ~VlanKind() override;  // releases an SDN lock a failed run still holds

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  // `hainfra export`: every VNet of a VLAN zone.
  Result<std::vector<Observed>> ObserveAll() override;
  void Normalize(Value& body) const override;
  StepScope Scope(const Value& body) const override { (void)body; return {}; }
  std::vector<Address> References(const Value& body) const override;

  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;
  Status Commit(const std::string& node) override;

 private:
  // Adds `lock-token` (PVE 9), taking the SDN lock first when this run does not hold it yet.
  Status WithToken(Value& params);
  void ReleaseLock();
  Status EnsureZone(const std::string& zone, const std::string& bridge);
  Status StageVnet(const Value& desired);
  Status StageSubnets(const Value& desired);
  Status Staged(Status status);  // releases the lock when a mutation failed

  KindDeps& deps_;
  KindTraits traits_;
  std::mutex mu_;      // one SDN mutation at a time: the SDN config files are shared by every vnet
  std::string token_;  // the SDN lock this run holds (PVE 9), empty when none
};

}  // namespace hainfra::providers
