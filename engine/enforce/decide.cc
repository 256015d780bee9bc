// Policy::Decide: which steps of a plan an unattended run may execute. Walks the steps in plan order
// (topological), so every dependency is decided before the steps that need it.
//
//   change step   kept unless, first reason wins: warn mode | window closed | destructive | node-level and
//                 (limits.node_level: never | a node offline) | a dependency withheld | max_objects reached
//   commit / gate kept when one of the steps it follows is kept; else dropped silently (nothing to commit
//                 or to gate), its dependents inheriting what it waited for
#include <algorithm>
#include <set>

#include "engine/enforce/policy.h"
#include "engine/enforce/rules.h"
#include "schemas/sections.h"

namespace hainfra::enforce {

Decision Policy::Decide(const Plan& plan, const Spec& spec, const RunContext& context) const {
  Decision d;
  d.window_open = WindowOpen(context.now, d.window_note);
  d.to_apply.spec_hash = plan.spec_hash;
  d.to_apply.unchanged = plan.unchanged;
  d.to_apply.diagnostics = plan.diagnostics;

  // Node-level kinds: those schemas/ marks (they change the nodes themselves) and any kind with a health gate.
  std::set<std::string> node_level;
  for (const schemas::PlanKind& k : schemas::PlanKinds()) {
    if (k.node_level) node_level.insert(k.kind);
  }
  for (const Step& s : plan.steps) {
    if (s.type == StepType::kGate) node_level.insert(s.change.address.kind);
  }
  const int max_objects = rules_ ? rules_->max_objects : 0;
  const bool node_level_never = rules_ && rules_->node_level_never;

  const size_t n = plan.steps.size();
  std::vector<int> new_id(n, -1);            // the step's id in `to_apply`, -1 when not kept
  std::vector<std::vector<int>> carried(n);  // not kept: the kept steps (new ids) its dependents wait for instead
  int kept_objects = 0;
  for (size_t i = 0; i < n; ++i) {
    const Step& step = plan.steps[i];
    std::vector<int> deps;
    std::string blocked_by;  // the first withheld change this step depends on
    bool follows_kept = false;
    for (int dep : step.deps) {
      if (new_id[dep] >= 0) {
        deps.push_back(new_id[dep]);
        follows_kept = true;
        continue;
      }
      if (plan.steps[dep].type == StepType::kChange && blocked_by.empty()) {
        blocked_by = plan.steps[dep].change.address.ToString();
      }
      deps.insert(deps.end(), carried[dep].begin(), carried[dep].end());
    }
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());

    bool keep = false;
    std::string reason;
    if (step.type != StepType::kChange) {
      keep = follows_kept;
    } else {
      const Change& c = step.change;
      if (ModeOf(c.address, spec) == Mode::kWarn) {
        reason = "warn mode (" + ModeSource(c.address, spec) + ")";
      } else if (!d.window_open) {
        reason = d.window_note;
      } else if (c.destructive) {
        reason = "destructive: never unattended (run `hainfra apply --allow-destroy`)";
      } else if (node_level.contains(c.address.kind) && node_level_never) {
        reason = "node-level: never unattended (limits.node_level: never)";
      } else if (node_level.contains(c.address.kind) && !context.all_nodes_online) {
        reason = "a node is offline (node-level changes run only when every node is online)";
      } else if (!blocked_by.empty()) {
        reason = "depends on withheld " + blocked_by;
      } else if (max_objects > 0 && kept_objects >= max_objects) {
        reason = "limit of " + std::to_string(max_objects) + " objects per run reached";
      } else {
        keep = true;
        ++kept_objects;
      }
      if (!keep) d.withheld.push_back(Withheld{c.address, c.action, reason});
    }
    if (!keep) {
      carried[i] = std::move(deps);
      continue;
    }
    Step copy = step;
    copy.id = static_cast<int>(d.to_apply.steps.size());
    copy.deps = std::move(deps);
    new_id[i] = copy.id;
    d.to_apply.steps.push_back(std::move(copy));
  }
  return d;
}

}  // namespace hainfra::enforce
