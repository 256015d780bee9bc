// One ordered firewall rule list behind the API (a level's /rules, a security group's /groups/{group}):
// its translation to and from the spec's shape, and bringing it to a desired order with the fewest calls —
// a rule that is already there is moved (`moveto`), never deleted and recreated; a rule changed in place
// keeps its position; a new rule is inserted (Proxmox puts it at the top) and moved into its place; what is
// left over is deleted from the end. Every write carries the list's current `digest`.
#pragma once

#include <string>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/transport/api_client.h"

namespace hainfra::providers {

// One rule as GET …/rules answers it -> the spec's shape (type, action, macro, …, enable, comment).
Value DecodeFirewallRule(const Value& rule);

// The canonical form of a spec rule (defaults spelled out: type in, enable true; log nolog and an empty
// comment left out), so that a rule written and a rule read compare equal.
void NormalizeFirewallRule(Value& rule);
void NormalizeFirewallRules(Value& body);  // each of body["rules"]

// The list at `path` in the spec's shape, normalized; and its digest ("" when empty).
struct FirewallRuleList {
  std::vector<Value> rules;
  std::string digest;
};
Result<FirewallRuleList> ReadFirewallRules(transport::ApiClient& api, const std::string& path);

// One call of a rule list's sync, pure: what SyncFirewallRules sends (public for tests).
struct FirewallRuleOp {
  enum Kind { kMove, kUpdate, kInsert, kDelete } kind;
  size_t pos = 0;     // the rule's position now
  size_t target = 0;  // kMove: its new position
  Value rule;         // kUpdate / kInsert: the desired rule
};
std::vector<FirewallRuleOp> PlanFirewallRuleOps(std::vector<Value> current, const std::vector<Value>& desired);

// Makes the list at `path` equal `desired` (normalized rules, in order).
Status SyncFirewallRules(transport::ApiClient& api, const std::string& path, const std::vector<Value>& desired);

}  // namespace hainfra::providers
