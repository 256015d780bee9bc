// `ha_group/<name>`: HA groups. PVE 8 keeps them natively (/cluster/ha/groups). PVE 9 has none: a declared
// group becomes the node-affinity rule pve-ha-manager's own migration would make of it — named
// `ha-group-<group>`, `nodes` copied, `strict` = `restricted`, `resources` = the HA resources naming the
// group — and its `nofailback` becomes those resources' `failback` (ha_resource.h). MakeKinds picks one.
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

// PVE 8: groups as they are.
class HaGroupKind : public SectionKind {
 public:
  // `pmxcfs`: the shared bulk read of /etc/pve to observe from (null: the list call).
  explicit HaGroupKind(transport::ApiClient& api, std::shared_ptr<PmxcfsReader> pmxcfs = nullptr);

  std::vector<Address> References(const Value& body) const override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  // GET /cluster/ha/groups from ha/groups.cfg.
  std::optional<Result<std::vector<Value>>> ListFromPmxcfs(const PmxcfsFiles& files) const override;
};

// PVE 9: groups as node-affinity rules `ha-group-<name>`. The body gains `resources` (derived from the HA
// resources naming the group); a group no present resource names has no rule (Proxmox's migration skips it
// too) and is left out.
class HaGroupRuleKind : public SectionKind {
 public:
  // With `pmxcfs` (SSH on), the node-affinity rules come from the bulk read's ha/rules.cfg.
  explicit HaGroupRuleKind(transport::ApiClient& api, std::shared_ptr<PmxcfsReader> pmxcfs = nullptr);

  std::vector<Resource> Desired(const Spec& spec) const override;
  std::vector<Address> References(const Value& body) const override;

  // "ha-group-<name>": the id pve-ha-manager's migration gives a group's rule.
  static std::string RuleId(const std::string& group);

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  std::string ApiId(const std::string& name) const override { return RuleId(name); }
  Value UpdateExtras(const Value& body) const override;
  bool NeedsList(const std::vector<Resource>& desired) const override { return !desired.empty(); }
  Value ListQuery() const override { return Value{{"type", "node-affinity"}}; }
  std::optional<Result<std::vector<Value>>> ListFromPmxcfs(const PmxcfsFiles& files) const override;
};

}  // namespace hainfra::providers
