// The VM kind (`vm/<vmid>`, section `vms`): QEMU guests observed with one /cluster/resources read plus one
// config read per managed guest, updated in place with the config digest, disks and NICs by slot.
// Translation lives in vm_config.* (read) and vm_format.* (write); the verbs in vm_observe.cc and vm_apply.cc.
#pragma once

#include <memory>
#include <string>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"
#include "providers/kinds/guest_list.h"

namespace hainfra::providers {

// True for a VMID's digits ("9000"), false for a VM name.
bool IsVmid(std::string_view text);

class VmKind : public ResourceKind {
 public:
  // `guests` shares the guest list with the other guest kind (null: a list of its own).
  explicit VmKind(KindDeps& deps, std::shared_ptr<GuestList> guests = nullptr);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  Result<std::vector<Observed>> ObserveAll() override;  // vm_export.cc
  void Normalize(Value& body) const override;
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;
  StepScope Scope(const Value& body) const override;
  std::vector<Address> References(const Value& body) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;

 private:
  // The verbs proper; the public ones turn exceptions of unexpected answers into errors.
  Result<std::vector<Observed>> DoObserve(const std::vector<Resource>& desired);
  Status DoCreate(const Change& change);
  Status DoUpdate(const Change& change);
  Status DoDelete(const Change& change);
  // The guest's config as Proxmox reports it now (with its digest).
  Result<Value> ReadConfig(const std::string& node, const std::string& vmid);
  // Waits for the task when `answer` is a UPID (async calls), else returns at once.
  Status WaitIfTask(const Result<Value>& answer, const std::string& what);
  // Brings the run state to `want` ("running" / "stopped"); no request is sent when it already is.
  Status SetRunState(const std::string& node, const std::string& vmid, const std::string& want, const Value& desired);
  Status Migrate(const Change& change, const std::string& from, const std::string& to);
  // Creates the guest as a clone of `clone.from`, then writes the spec's config over the copy.
  Status CreateByClone(const Change& change);
  // After a create: grows imported disks to their declared size.
  Status GrowImportedDisks(const Value& want, const std::string& node, const std::string& vmid);
  // Converts the guest to a template (stopping it first).
  Status ConvertToTemplate(const std::string& node, const std::string& vmid, const Value& desired);
  // Restarts a running guest whose change waits for a reboot, when the spec says `reboot: allowed`.
  Status RebootIfAllowed(const Change& change, const std::string& node);

  KindDeps& deps_;
  std::shared_ptr<GuestList> guests_;
  KindTraits traits_;
};

}  // namespace hainfra::providers
