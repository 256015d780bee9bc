// `ha_rule/<name>`: PVE 9's HA rules (/cluster/ha/rules) — node-affinity (nodes and priorities, strict)
// and resource-affinity (positive/negative). PVE 8 has none: a declared rule is refused at plan time.
// Proxmox lets a rule name only configured HA resources, so on PVE 9 rules are created after resources.
#pragma once

#include "providers/kinds/section_kind.h"

namespace hainfra::providers {

class HaRuleKind : public SectionKind {
 public:
  // With `pmxcfs` (SSH on), the list comes from the bulk read's ha/rules.cfg (ha_rules::RulesFromPmxcfs).
  HaRuleKind(transport::ApiClient& api, int pve_major, std::shared_ptr<PmxcfsReader> pmxcfs = nullptr);

  std::vector<Address> References(const Value& body) const override;

 protected:
  Result<std::optional<Decoded>> Decode(const Value& object) const override;
  Result<Value> Encode(const Value& body) const override;
  std::vector<std::string> ApiKeys(std::string_view field) const override;
  Value UpdateExtras(const Value& body) const override;
  Status CheckDesired(const std::vector<Resource>& desired) const override;
  bool NeedsList(const std::vector<Resource>& desired) const override;
  std::optional<Result<std::vector<Value>>> ListFromPmxcfs(const PmxcfsFiles& files) const override;

 private:
  int pve_major_;
};

// Shared by HA rules and PVE 9's group rules.
namespace ha_rules {

// The order rank of rule-backed kinds on a cluster of `pve_major`: after HA resources on PVE 9 (a rule may
// name only configured resources), before them on PVE 8 (a resource names its group).
int OrderFor(int pve_major);

// A rule as /cluster/ha/rules answers it -> {type, resources, nodes, strict, affinity, disable, comment},
// with the defaults pve-ha-manager applies (strict and disable false).
Result<Value> DecodeRule(const Value& object);

// {type, resources, nodes, strict, affinity, disable, comment} -> POST/PUT parameters. `disable: false` is
// left out: Proxmox drops a false `disable` instead of storing it, so an update must delete the key.
Value EncodeRule(const Value& rule);

// The API keys of a rule field ("strict" -> {"strict"}).
std::vector<std::string> RuleApiKeys(std::string_view field);

// What a rule body depends on: its HA resources, their guests, its nodes.
std::vector<Address> RuleReferences(const Value& body);

// GET /cluster/ha/rules as pve-ha-manager answers it, built from the bulk read of /etc/pve: every
// node-affinity and resource-affinity section of ha/rules.cfg (the type read case-insensitively, a section
// whose id is not a valid config id skipped, as SectionConfig does) with `rule`, `type`, `digest` (SHA-1 of
// the file), `order` (its position among the kept sections), `strict`/`disable` as 1/0, `resources` sorted and
// `nodes` sorted by node (encode_value). The feasibility `errors` are not computed (the kinds ignore them).
// nullopt while ha/groups.cfg still holds groups: the API then lists them as rules too
// (migrate_groups_to_rules, in memory), so it must answer. An unreadable `nodes` list is an error (the kind
// then lists over the API).
std::optional<Result<std::vector<Value>>> RulesFromPmxcfs(const PmxcfsFiles& files);

}  // namespace ha_rules
}  // namespace hainfra::providers
