// `ha_resource/vm:<vmid>`: guests managed by HA (/cluster/ha/resources), from `ha.resources` and the VMs'
// `ha:` shorthand. PVE 8 places them with `group`; on PVE 9 groups are node-affinity rules (ha_group.h), so a
// resource's `group` becomes membership in its group's rule and the group's `nofailback` its `failback`.
// Deleting one ends HA management, never the guest (PVE 9 also purges it from rules, as Proxmox does).
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class HaResourceKind : public SectionKind {
 public:
  // `pmxcfs`: the shared bulk read of /etc/pve to observe from (null: the list call).
  HaResourceKind(transport::ApiClient& api, int pve_major, std::shared_ptr<PmxcfsReader> pmxcfs = nullptr);

  std::vector<Resource> Desired(const Spec& spec) const override;
  void Normalize(Value& body) const override;
  StepScope Scope(const Value& body) const override;
  std::vector<Address> References(const Value& body) const override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  Status CheckDesired(const std::vector<Resource>& desired) const override;
  // GET /cluster/ha/resources from ha/resources.cfg (and ha/groups.cfg, for the `group` checks).
  std::optional<Result<std::vector<Value>>> ListFromPmxcfs(const PmxcfsFiles& files) const override;

 private:
  int pve_major_;
};

// The VMID of "vm:100" ("100"); empty for other sids.
std::string VmidOfSid(std::string_view sid);
// The guest a sid names: vm/<vmid> for vm:<vmid>, ct/<vmid> for ct:<vmid>.
std::optional<Address> GuestOfSid(std::string_view sid);

}  // namespace hainfra::providers
