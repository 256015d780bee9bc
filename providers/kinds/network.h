// The node network kind (`network/<node>`): the interfaces a node's `nodes[].network` declares, staged per
// node in interfaces.new and applied with one reload per node, one node at a time, with a confirmation that
// the node still answers afterwards (else the previous configuration is restored).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "hainfra/export_part.h"
#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

// The interfaces of an observed node network body worth declaring, in the spec's shape: bridges, bonds and
// VLAN interfaces, and physical NICs that carry an address, an MTU or a comment; values that only restate a
// default (empty lists and texts, `vlan_aware: false`, `autostart: true`) are left out. Pure.
Value ExportedInterfaces(const Value& observed_network);

class NetworkKind : public ResourceKind, public ExportsParts {
 public:
  explicit NetworkKind(KindDeps& deps);

  const KindTraits& traits() const override { return traits_; }
  std::vector<Resource> Desired(const Spec& spec) const override;
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override;
  void Normalize(Value& body) const override;
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override;
  StepScope Scope(const Value& body) const override;
  // `hainfra export`: each member's interfaces as `nodes[].network` (ExportedInterfaces).
  Result<std::vector<ExportPart>> ExportParts() override;

  Status Create(const Change& change) override;
  Status Update(const Change& change) override;
  Status Delete(const Change& change) override;
  Status Commit(const std::string& node) override;

  // How long a node gets to answer after its reload (HAINFRA_NETWORK_CONFIRM_SECONDS, default 60 s).
  void set_confirm_timeout(std::chrono::milliseconds timeout) { confirm_timeout_ = timeout; }

 private:
  // The node's interfaces as they are now (spec shape, normalized); fails when someone else staged changes.
  Result<std::vector<Value>> ReadUnstaged(const std::string& node);
  // Stages `desired` interfaces over `current` (POST new ones, PUT differing ones).
  Status Stage(const std::string& node, const Value& desired, const std::vector<Value>& current);
  // Polls until the node's API (and SSH, when configured) answers, or the timeout ends.
  Status Confirm(const std::string& node);
  // Dead-man switch over SSH: restores `/etc/network/interfaces` unless disarmed in time.
  Status ArmDeadMan(const std::string& node);
  Status DisarmDeadMan(const std::string& node);
  // Brings the node back to `previous` through the API (stage the inverse and reload).
  Status RestoreThroughApi(const std::string& node, const std::vector<Value>& previous);
  Status Reload(const std::string& node);

  KindDeps& deps_;
  KindTraits traits_;
  std::chrono::milliseconds confirm_timeout_;
  std::mutex mu_;
  std::map<std::string, std::vector<Value>> previous_;  // node -> interfaces before hainfra staged
};

}  // namespace hainfra::providers
