// The firewall at its three levels, one kind each: `firewall_cluster/firewall_cluster` (/cluster/firewall),
// `firewall_node/<node>` (/nodes/{node}/firewall) and `firewall_guest/<vmid>` (/nodes/{node}/{qemu,lxc}/
// {vmid}/firewall): the options the spec writes (defaults spelled out) and the rule list, owned whole and
// ordered (firewall_rules.h). The object always exists in Proxmox, so it is never created or deleted.
//
// The cluster's and the nodes' rule sets can lock everyone out, so their changes are commit-confirmed
// (CommitScope::kGlobal): the rule sets as they were before the first change are kept; after the kind's last
// change a fresh API call and a fresh SSH login reach every node, and when either fails the kept rule sets
// are written back (through the API; with SSH, a dead-man switch armed on a node before the first change
// restores the .fw files on its own when hainfra cannot come back) and the step fails saying so.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

enum class FirewallLevel { kCluster, kNode, kGuest };

class FirewallLevelKind : public ResourceKind {
 public:
  FirewallLevelKind(KindDeps& deps, FirewallLevel level);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  Result<std::vector<Observed>> ObserveAll() override;
  void Normalize(Value& body) const override;
  StepScope Scope(const Value& body) const override;
  std::vector<Address> References(const Value& body) const override;
  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;
  Status Commit(const std::string& node) override;

  // Translation pair of the options, public for tests: GET …/options -> the spec's keys (with the level's
  // defaults), and the PUT parameters writing `fields` of `desired` (with `delete` for the ones it unsets).
  static Value DecodeOptions(FirewallLevel level, const Value& answer);
  static Value EncodeOptions(FirewallLevel level, const Value& desired, const std::vector<std::string>& fields);

  // How long the confirmation waits for the API and SSH (tests shorten it).
  void set_confirm_timeout(std::chrono::milliseconds timeout) { confirm_timeout_ = timeout; }

 private:
  // The API base of the object `name` (/cluster/firewall, /nodes/pve-01/firewall, /nodes/pve-01/qemu/100/
  // firewall); for a guest, where it is now.
  Result<std::string> BaseOf(const std::string& name) const;
  Result<Value> Read(const std::string& name) const;
  Status Write(const std::string& name, const Value& desired, const std::vector<std::string>& fields);
  // Keeps the object's rule set as it is now (once per object and run) and arms the dead-man switch.
  Status Keep(const std::string& name);
  Status Confirm();
  Status Restore();
  Status ArmDeadMan();
  void DisarmDeadMan();

  KindTraits traits_;
  KindDeps& deps_;
  FirewallLevel level_;
  std::chrono::milliseconds confirm_timeout_;
  std::mutex mu_;
  std::map<std::string, Value> kept_;  // name -> its body before this run changed it
  std::vector<std::string> nodes_;     // every node (confirmation)
  std::optional<std::string> armed_on_;
};

}  // namespace hainfra::providers
