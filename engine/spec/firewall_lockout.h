// Would this firewall lock hainfra and the administrators out? A pure model of how pve-firewall filters
// what reaches a node (its host input chain): the node's own rules first, then the cluster's, security groups
// expanded where a rule inserts them, each rule's match judged as yes / no / maybe; then the implicit accept of
// SSH and the API from the `management` IP set (the node's local network when the set is not declared); then
// the input policy. A rule that may drop what it cannot prove it accepts counts as dropping: the check errs on
// the side of refusing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hainfra/value.h"

namespace hainfra::spec {

class CheckContext;

// check_firewall.cc: rules Proxmox refuses, and the lock-out check (run by CheckSpec, checks.cc).
void CheckFirewall(CheckContext& ctx);

// The firewall as the spec declares it, in the spec's shapes.
struct FirewallModel {
  Value cluster_rules = Value::array();
  std::string policy_in = "DROP";
  Value groups = Value::object();   // name -> rules
  Value aliases = Value::object();  // lower-cased name -> cidr
  Value ipsets = Value::object();   // name -> entries ({cidr, nomatch})
};

// One node as the check sees it.
struct FirewallNodeView {
  std::string name;
  std::string address;              // its management address (API and SSH)
  std::string local_network;        // the network of the interface carrying it ("" unknown)
  std::string management_iface;     // that interface ("" unknown)
  Value rules = Value::array();     // its own rules (firewall.nodes[].rules)
};

// Where a rule sits, to locate a refusal: which list ("node", "cluster" or "group:<name>") and index.
struct FirewallVerdict {
  bool accepted = true;
  std::string list;           // "" when the input policy drops it
  size_t index = 0;
  std::string action;
};

// The fate of TCP to `port` from every address of `source` (a CIDR) at `node`.
FirewallVerdict JudgeFirewall(const FirewallModel& model, const FirewallNodeView& node, const std::string& source,
                              int port);

}  // namespace hainfra::spec
