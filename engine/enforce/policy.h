// The enforcement policy (the spec's `enforcement:` section): which drift `hainfra enforce` corrects and
// which it only reports, when corrections may run, and how much one unattended run may change.
// No clock (the caller passes `now`); the only I/O is FromSpec reading the time zone database.
// Rules and precedence: docs/enforcement.md ("Policy").
#pragma once

#include <cstdint>
#include <memory>
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
  struct Rules;  // the parsed section (engine/enforce/rules.h)

  // No `enforcement:` section: every object in correct mode, always, no object limit (destructive changes
  // are still withheld, node-level ones still wait for every node to be online).
  Policy() = default;
  explicit Policy(Rules rules);

  // The policy of a loaded spec (its `enforcement` object, validated at load with located errors).
  static Result<Policy> FromSpec(const Spec& spec);

  // The mode of one object: the most specific of tag, name glob, kind, default.
  Mode ModeOf(const Address& address, const Spec& spec) const;

  // Splits a plan into what runs now and what is withheld (mode, window, limits, destructive, nodes).
  Decision Decide(const Plan& plan, const Spec& spec, const RunContext& context) const;

  // Whether an `ignore` rule drops this difference of a declared object (planning asks, for every kind).
  bool Ignores(const Resource& desired, const FieldChange& field) const;
  bool HasIgnoreRules() const;

  // Whether corrections may run at `now` (allow and deny windows); `note` says why not.
  bool WindowOpen(int64_t now, std::string& note) const;

  // The override (or the default) that decides an object's mode, for reports: "default", "vm tagged k8s".
  std::string ModeSource(const Address& address, const Spec& spec) const;

 private:
  std::shared_ptr<const Rules> rules_;  // null: no section
};


}  // namespace hainfra::enforce
