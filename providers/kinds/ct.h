// The container kind (`ct/<vmid>`, section `containers`): LXC guests observed with one /cluster/resources read
// plus one config read per managed container, created from a template, updated in place with the config
// digest (PUT is synchronous for containers), mount points by slot and NICs by name. Translation lives in
// ct_config.*; the verbs in ct_apply.cc. Shares the VM kind's text helpers and its HA-aware placement rules.
#pragma once

#include <memory>
#include <string>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"
#include "providers/kinds/guest_list.h"

namespace hainfra::providers {

class CtKind : public ResourceKind {
 public:
  // `guests` shares the guest list with the other guest kind (null: a list of its own).
  explicit CtKind(KindDeps& deps, std::shared_ptr<GuestList> guests = nullptr);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  Result<std::vector<Observed>> ObserveAll() override;
  void Normalize(Value& body) const override;
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;
  StepScope Scope(const Value& body) const override;
  std::vector<Address> References(const Value& body) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;

 private:
  Result<std::vector<Observed>> DoObserve(const std::vector<Resource>& desired);
  Status DoCreate(const Change& change);
  Status DoUpdate(const Change& change);
  Status DoDelete(const Change& change);
  Result<Value> ReadConfig(const std::string& node, const std::string& vmid);
  Status WaitIfTask(const Result<Value>& answer, const std::string& what);
  Status SetRunState(const std::string& node, const std::string& vmid, const std::string& want, const Value& desired);
  Status Migrate(const Change& change, const std::string& from, const std::string& to);
  Status RebootIfAllowed(const Change& change, const std::string& node);

  KindDeps& deps_;
  std::shared_ptr<GuestList> guests_;
  KindTraits traits_;
};

}  // namespace hainfra::providers
