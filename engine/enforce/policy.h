// The enforcement policy (the spec's `enforcement:` section): which drift `hainfra enforce` corrects and
// which it only reports, when corrections may run, and how much one unattended run may change.
// Pure: no I/O, no clock (the caller passes `now`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hainfra/change.h"
#include "hainfra/plan.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"

namespace hainfra::enforce {

enum class Mode {
  kCorrect,  // apply the plan's changes
  kWarn,     // report them only
};

// The moment and the cluster facts that decide what may run unattended.
struct RunContext {
  int64_t now = 0;                // Unix seconds
  bool all_nodes_online = true;   // node-level kinds (rolling kinds) change only when every node is online
};

// A change enforce did not apply, and why: "warn mode (vm tagged k8s)", "outside the allowed windows",
// "destructive: never unattended", "limit of 10 objects per run reached", "a node is offline".
struct Withheld {
  Address address;
  Action action = Action::kNoOp;
  std::string reason;
};

struct Decision {
  Plan to_apply;                   // the steps to run, dependencies kept, ids renumbered: a valid plan
  std::vector<Withheld> withheld;  // every change of the input plan that is not in `to_apply`
  bool window_open = true;         // false: outside every allow window or inside a deny window
  std::string window_note;         // why closed, for the report ("deny window 'freeze' (Fri *-*-* 16:00..23:59 Europe/Berlin)")
};

class Policy {
 public:
  Policy() = default;  // no `enforcement:` section: correct everything, always, no limits

  // The policy of a loaded spec (its `enforcement` object, validated at load with located errors).
  static Result<Policy> FromSpec(const Spec& spec);

  // The mode of one object: the most specific of tag, name glob, kind, default.
  Mode ModeOf(const Address& address, const Spec& spec) const;

  // Splits a plan into what runs now and what is withheld (mode, window, limits, destructive, nodes).
  Decision Decide(const Plan& plan, const Spec& spec, const RunContext& context) const;

 private:
  struct Rules;
  std::vector<std::string> placeholder_;  // replaced by the real rules
};

}  // namespace hainfra::enforce
