// The Proxmox privileges each resource kind's API calls need (the `permissions` of the official schema for
// the requests the kind makes), and the least-privilege set for a spec: what `hainfra bootstrap-token`
// puts in hainfra's role and docs/privileges.md lists. The SSH-only kinds (packages, sshd, corosync
// links) need none.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/spec.h"

namespace hainfra::providers {

struct KindPrivileges {
  std::string_view kind;  // the kind's name ("vm", "ha_rule", ...; "all" for the calls every run makes)
  std::vector<std::string_view> privileges;
};

// Every kind that calls the API, in plan order, "all" first.
const std::vector<KindPrivileges>& PrivilegesByKind();

// The privileges of `kind` (empty for a kind that does not call the API).
std::vector<std::string_view> PrivilegesOf(std::string_view kind);

// The kinds a spec uses (its sections, and the kinds derived from them: network from nodes' `network`,
// apt repositories from baselines).
std::set<std::string> KindsUsed(const Spec& spec);

// "all" plus the privileges of every kind in `kinds`, sorted.
std::set<std::string> RequiredPrivileges(const std::set<std::string>& kinds);

// The table of docs/privileges.md ("| kind | privileges |"), generated from PrivilegesByKind().
std::string PrivilegesMarkdown();

}  // namespace hainfra::providers
